using EmoFarm.Farm.Messaging;
using EmoFarm.Farm.Planning;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Orchestration;

/// <summary>Marks a rendered take done (or asks for a retake) and reconciles the seams it completes.</summary>
public sealed class SegmentRenderedConsumerDefinition(IOptions<OrchestratorOptions> options, IOptions<RetryOptions> retry)
    : OrchestratorConsumerDefinition<SegmentRenderedConsumer>(retry.Value, Queue, options.Value.StepTimeout)
{
    public const string Queue = "segment-rendered";
}
