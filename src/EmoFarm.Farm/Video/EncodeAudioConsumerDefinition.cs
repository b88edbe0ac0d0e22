using EmoFarm.Farm.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Video;

/// <summary>One audio encode at a time per worker. A fault after the last retry costs nothing but time: the
/// assembly encodes the audio itself when it finds none.</summary>
public sealed class EncodeAudioConsumerDefinition : ConsumerDefinition<EncodeAudioConsumer>
{
    public const string Queue = "encode-audio";
    private readonly RetryOptions _retry;

    public EncodeAudioConsumerDefinition(IOptions<RetryOptions> retry)
    {
        _retry = retry.Value;
        EndpointName = Queue;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<EncodeAudioConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 1;
        endpointConfigurator.UseMessageRetry(r => _retry.Configure(r, transientOnly: false));
    }
}
