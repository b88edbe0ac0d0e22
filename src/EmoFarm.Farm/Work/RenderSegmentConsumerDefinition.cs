using EmoFarm.Farm.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Work;

/// <summary>One segment in flight per GPU, and never more prefetched than that: a queued segment waits in RabbitMQ,
/// where any idle worker can take it, not in a busy worker's buffer. Only transient faults (Redis, the bucket or the
/// broker briefly down) are retried in memory; a failed attempt is counted in the state store (a crash must count
/// too) and republished. No consume timeout: a hung worker is caught by RabbitMQ's delivery acknowledgement timeout
/// (<c>consumer_timeout</c>), which requeues its segment.</summary>
public sealed class RenderSegmentConsumerDefinition : ConsumerDefinition<RenderSegmentConsumer>
{
    public const string Queue = "render-segment";
    public const int MaxPriority = 10;
    private readonly int _gpus;
    private readonly RetryOptions _retry;

    public RenderSegmentConsumerDefinition(IOptions<WorkerOptions> options, IOptions<RetryOptions> retry)
    {
        _gpus = options.Value.Gpus;
        _retry = retry.Value;
        EndpointName = Queue;
        ConcurrentMessageLimit = _gpus;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RenderSegmentConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = _gpus;
        endpointConfigurator.UseMessageRetry(r => _retry.Configure(r, transientOnly: true));
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
            rabbit.SetQueueArgument("x-max-priority", MaxPriority);
    }
}
