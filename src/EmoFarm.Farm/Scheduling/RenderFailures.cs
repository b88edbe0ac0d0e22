using EmoFarm.Farm.Messaging;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Telemetry;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Scheduling;

/// <summary>
/// Ends a render as failed with a cause a user can read (GetRender's error, the CLI's last line). Every path that
/// gives up on a render comes through here, so none is left in a non-terminal state with nobody working on it.
/// </summary>
public sealed partial class RenderFailures(IRenderStore store, IOptions<RetryOptions> retry, FairScheduler scheduler, ILogger<RenderFailures> logger)
{
    public async Task FailAsync(string renderId, string cause)
    {
        // Not the consumer's token: it may be the one that just timed out, and the failure must still be written.
        if (!await store.TransitionAsync(renderId, RenderState.Failed, cause, CancellationToken.None))
            return;
        // Its other segments would only be dropped by the workers: their places go to other renders now.
        await scheduler.RemoveAsync(renderId, CancellationToken.None);
        FarmTelemetry.RendersCompleted.Add(1, new KeyValuePair<string, object?>("state", "failed"));
        LogFailed(logger, renderId, cause);
    }

    /// <summary>
    /// For a consumer's exception filter: counts the failure, and is true when this was the step's last retry
    /// (<see cref="OrchestratorConsumerDefinition{TConsumer}"/>), so the render must fail now; false lets the
    /// exception through to be retried.
    /// </summary>
    public bool IsLastAttempt(ConsumeContext context, string step)
    {
        FarmTelemetry.StepFailures.Add(1, new KeyValuePair<string, object?>("step", step));
        return context.GetRetryAttempt() >= retry.Value.Limit;
    }

    /// <summary>Fails the render after its step's last retry, naming the step and the error.</summary>
    public Task GiveUpAsync(string renderId, string step, Exception error) =>
        FailAsync(renderId, $"{step} failed after {retry.Value.Limit + 1} attempts: {error.GetType().Name}: {error.Message}");

    [LoggerMessage(Level = LogLevel.Error, Message = "render {RenderId} failed: {Cause}")]
    private static partial void LogFailed(ILogger logger, string renderId, string cause);
}
