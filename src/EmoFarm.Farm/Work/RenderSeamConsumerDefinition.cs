using MassTransit;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Work;

/// <summary>
/// Seam continuations share the GPUs with segments: one per GPU, none prefetched past that. No retry in memory: the
/// consumer counts its attempts in the state store and republishes, so that a crash counts as an attempt too.
/// </summary>
public sealed class RenderSeamConsumerDefinition : ConsumerDefinition<RenderSeamConsumer>
{
    public const string Queue = "render-seam";
    private readonly int _gpus;

    public RenderSeamConsumerDefinition(IOptions<WorkerOptions> options)
    {
        _gpus = options.Value.Gpus;
        EndpointName = Queue;
        ConcurrentMessageLimit = _gpus;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RenderSeamConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.PrefetchCount = _gpus;
}
