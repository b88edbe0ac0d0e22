using EmoFarm.Farm.Messaging;
using EmoFarm.Farm.Planning;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Orchestration;

/// <summary>Fails a render whose segment ran out of attempts.</summary>
public sealed class SegmentFailedConsumerDefinition(IOptions<OrchestratorOptions> options, IOptions<RetryOptions> retry)
    : OrchestratorConsumerDefinition<SegmentFailedConsumer>(retry.Value, Queue, options.Value.StepTimeout)
{
    public const string Queue = "segment-failed";
}
