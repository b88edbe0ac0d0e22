using Microsoft.Extensions.Hosting;

namespace EmoFarm.Farm.Faces;

/// <summary>Loads the face nets at start, so a wrong folder fails the process now and "analysis is off" is said now.</summary>
internal sealed class FaceStartup(FaceModels faces) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.Run(() => _ = faces.Analyzer, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
