using EmoFarm.Farm.Messaging;
using EmoFarm.Farm.Planning;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Video;

/// <summary>Fails the render of a chunk that could not be encoded.</summary>
public sealed class ChunkFaultConsumerDefinition(IOptions<OrchestratorOptions> options, IOptions<RetryOptions> retry)
    : OrchestratorConsumerDefinition<ChunkFaultConsumer>(retry.Value, Queue, options.Value.StepTimeout)
{
    public const string Queue = "encode-chunk-fault";
}
