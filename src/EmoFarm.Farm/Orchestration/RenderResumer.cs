using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.Seams;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Video;
using Microsoft.Extensions.Logging;

namespace EmoFarm.Farm.Orchestration;

/// <summary>
/// Picks an unfinished render up from what the store says is done: after an orchestrator restart, and when an
/// operator retries a failed render. Messages in RabbitMQ survive a restart on their own; what can be lost is work
/// the dead process had not yet handed to the bus: segments never dispatched, the seam steps and chunk encodes of
/// done segments, and the final assembly of renders whose segments were all done.
/// </summary>
public sealed partial class RenderResumer(IRenderStore store, SegmentDispatcher dispatcher, SeamCoordinator seams, RenderCompletion completion, ILogger<RenderResumer> logger)
{
    public async Task ResumeAsync(string renderId, CancellationToken ct)
    {
        var render = await store.GetAsync(renderId, ct);
        if (render is null || RenderStateMachine.IsTerminal(render.State))
            return;
        var segments = await store.GetSegmentsAsync(renderId, ct);
        if (!render.Dispatched)
        {
            LogRedispatch(logger, renderId, segments.Count(s => s.State != SegmentState.Done));
            await dispatcher.RedispatchAsync(render, segments, ct);
        }
        // Each done segment asks again for its seams and its chunk: a chunk is final only once its segment is done,
        // so every final chunk not yet stored is asked for (again, if its command is still queued: harmless).
        foreach (var segment in segments.Where(s => s.State == SegmentState.Done))
            await seams.OnSegmentDoneAsync(renderId, segment.Index, ct);
        // No segment at all to wait for (every one done): the render may only need its assembly.
        await completion.AdvanceAsync(renderId, [], ct);
    }

    /// <summary>
    /// Runs a failed render again under the same id: only the segments and seams that are not done run again.
    /// Returns false unless the render had failed.
    /// </summary>
    public async Task<bool> RetryAsync(string renderId, CancellationToken ct)
    {
        if (!await store.RetryAsync(renderId, ct))
            return false;
        LogRetry(logger, renderId);
        await ResumeAsync(renderId, ct);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "render {RenderId} was not fully dispatched; publishing its {Segments} unfinished segments again")]
    private static partial void LogRedispatch(ILogger logger, string renderId, int segments);

    [LoggerMessage(Level = LogLevel.Information, Message = "render {RenderId}: retried by request")]
    private static partial void LogRetry(ILogger logger, string renderId);
}
