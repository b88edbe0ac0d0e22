using EmoFarm.Farm.Hosting;
using EmoFarm.Farm.Submission;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Orchestration;

/// <summary>Blends a worker's seam continuation into the right segment.</summary>
public sealed class SeamRenderedConsumerDefinition(IOptions<OrchestratorOptions> options, IOptions<RetryOptions> retry)
    : OrchestratorConsumerDefinition<SeamRenderedConsumer>(retry.Value, Queue, options.Value.StepTimeout)
{
    public const string Queue = "seam-rendered";
}
