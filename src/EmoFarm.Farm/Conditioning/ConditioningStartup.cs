using Microsoft.Extensions.Hosting;

namespace EmoFarm.Farm.Conditioning;

/// <summary>Loads the conditioning models at start, so that a bad file stops the orchestrator instead of its first render.</summary>
internal sealed class ConditioningStartup(ConditioningModels models) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.Run(models.Warm, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
