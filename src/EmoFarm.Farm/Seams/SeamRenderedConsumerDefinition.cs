using EmoFarm.Farm.Messaging;
using EmoFarm.Farm.Planning;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Seams;

/// <summary>Blends a worker's seam continuation into the right segment.</summary>
public sealed class SeamRenderedConsumerDefinition(IOptions<OrchestratorOptions> options, IOptions<RetryOptions> retry)
    : OrchestratorConsumerDefinition<SeamRenderedConsumer>(retry.Value, Queue, options.Value.StepTimeout)
{
    public const string Queue = "seam-rendered";
}
