using EmoFarm.Farm.Messaging;
using EmoFarm.Farm.Work;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Seams;

/// <summary>
/// Seam continuations share the GPUs with segments: one per GPU, none prefetched past that. As for segments, only
/// transient faults are retried in memory; a failed attempt is counted in the state store and republished.
/// </summary>
public sealed class RenderSeamConsumerDefinition : ConsumerDefinition<RenderSeamConsumer>
{
    public const string Queue = "render-seam";
    private readonly int _gpus;
    private readonly RetryOptions _retry;

    public RenderSeamConsumerDefinition(IOptions<WorkerOptions> options, IOptions<RetryOptions> retry)
    {
        _gpus = options.Value.Gpus;
        _retry = retry.Value;
        EndpointName = Queue;
        ConcurrentMessageLimit = _gpus;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RenderSeamConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = _gpus;
        endpointConfigurator.UseMessageRetry(r => _retry.Configure(r, transientOnly: true));
    }
}
