using EmoFarm.Farm.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Video;

/// <summary>
/// Chunk encodes are CPU work beside the GPU's: two at once per worker, none prefetched past that, so a queued chunk
/// waits where any idle worker can take it. Every fault is retried (the frames are stored and final, so a retry
/// can succeed); after the last, MassTransit publishes the fault, and the orchestrator fails the render
/// (<see cref="Orchestration.ChunkFaultConsumer"/>).
/// </summary>
public sealed class EncodeChunkConsumerDefinition : ConsumerDefinition<EncodeChunkConsumer>
{
    public const string Queue = "encode-chunk";
    public const int Concurrency = 2;
    private readonly RetryOptions _retry;

    public EncodeChunkConsumerDefinition(IOptions<RetryOptions> retry)
    {
        _retry = retry.Value;
        EndpointName = Queue;
        ConcurrentMessageLimit = Concurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<EncodeChunkConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = Concurrency;
        endpointConfigurator.UseMessageRetry(r => _retry.Configure(r, transientOnly: false));
    }
}
