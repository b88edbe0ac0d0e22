using EmoFarm.Farm.Hosting;
using EmoFarm.Farm.Submission;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Orchestration;

/// <summary>Records stored chunks; short bookkeeping, like the other orchestrator steps.</summary>
public sealed class ChunkEncodedConsumerDefinition(IOptions<OrchestratorOptions> options, IOptions<RetryOptions> retry)
    : OrchestratorConsumerDefinition<ChunkEncodedConsumer>(retry.Value, Queue, options.Value.StepTimeout)
{
    public const string Queue = "chunk-encoded";
}
