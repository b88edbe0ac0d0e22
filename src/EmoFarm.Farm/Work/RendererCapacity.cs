using EmoFarm.Contracts.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Work;

/// <summary>
/// Refuses to start a worker that would take more segments at once (<c>Worker:Gpus</c>) than its renderer has
/// devices: the segments would silently share one GPU, each running at a fraction of its speed while holding a
/// place another worker could use.
/// </summary>
internal sealed class RendererCapacity(IServiceProvider services, IOptions<WorkerOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolved here, not injected: the host builds its hosted services before it validates the configuration,
        // and resolving the renderer loads the model, which must not come before a bad setting is reported.
        var info = services.GetRequiredService<IClipRenderer>().Info;
        if (options.Value.Gpus > info.Devices)
        {
            throw new OptionsValidationException(WorkerOptions.Section, typeof(WorkerOptions),
            [
                $"Worker:Gpus is {options.Value.Gpus}, but the renderer ({info.Name}) drives {info.Devices} device(s): " +
                "run one worker per GPU (the chart: worker.gpus 1, and more replicas)",
            ]);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
