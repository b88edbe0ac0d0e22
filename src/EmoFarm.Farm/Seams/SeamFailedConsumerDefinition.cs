using EmoFarm.Farm.Messaging;
using EmoFarm.Farm.Planning;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Seams;

/// <summary>Crossfades a seam whose continuation ran out of attempts.</summary>
public sealed class SeamFailedConsumerDefinition(IOptions<OrchestratorOptions> options, IOptions<RetryOptions> retry)
    : OrchestratorConsumerDefinition<SeamFailedConsumer>(retry.Value, Queue, options.Value.StepTimeout)
{
    public const string Queue = "seam-failed";
}
