using EmoFarm.Farm.Messaging;
using EmoFarm.Farm.Planning;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Video;

/// <summary>Records stored chunks; short bookkeeping, like the other orchestrator steps.</summary>
public sealed class ChunkEncodedConsumerDefinition(IOptions<OrchestratorOptions> options, IOptions<RetryOptions> retry)
    : OrchestratorConsumerDefinition<ChunkEncodedConsumer>(retry.Value, Queue, options.Value.StepTimeout)
{
    public const string Queue = "chunk-encoded";
}
