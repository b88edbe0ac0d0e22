using EmoFarm.Contracts.Rendering;
using Microsoft.Extensions.Hosting;

namespace EmoFarm.Model.Hosting;

/// <summary>Loads the model when the host starts, before the bus delivers the first segment.</summary>
internal sealed class ModelStartup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = (IClipRenderer)services.GetService(typeof(IClipRenderer))!;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
