using EmoFarm.Farm.Messaging;
using EmoFarm.Farm.Planning;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Video;

/// <summary>Assembles the MP4; at most two at once per orchestrator, as each holds an ffmpeg and a folder of chunks.</summary>
public sealed class FinalizeRenderConsumerDefinition(IOptions<OrchestratorOptions> options, IOptions<RetryOptions> retry)
    : OrchestratorConsumerDefinition<FinalizeRenderConsumer>(retry.Value, Queue, options.Value.EncodeTimeout, concurrency: 2)
{
    public const string Queue = "finalize-render";
}
