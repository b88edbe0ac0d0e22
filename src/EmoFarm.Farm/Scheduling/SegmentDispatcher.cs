using EmoFarm.Contracts;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.State;

namespace EmoFarm.Farm.Scheduling;

/// <summary>
/// Hands the <see cref="RenderSegment"/> commands of a render to the <see cref="FairScheduler"/>: every segment's first
/// take, and retakes. "Dispatched" means handed over: the scheduler's window, in Redis, publishes them as places free.
/// </summary>
public sealed class SegmentDispatcher(FairScheduler scheduler, IRenderStore store)
{
    public async Task DispatchAsync(RenderRecord render, IReadOnlyList<SegmentPlan> segments, CancellationToken ct)
    {
        await scheduler.SubmitAsync(render, [.. segments.Select(s => CommandPublisher.Segment(render.Id, s, take: 0))], republish: false, ct);
        await store.MarkDispatchedAsync(render.Id, ct);
    }

    /// <summary>
    /// Hands over every segment that is not done, each at its current take, after a restart found the render
    /// undispatched or an operator retried it; those the window has out already are published again, since their
    /// commands may have died with the process. A segment whose command is also still queued is rendered once: the
    /// worker that takes the second command finds it done, or resumes after its stored clips.
    /// </summary>
    public async Task RedispatchAsync(RenderRecord render, IReadOnlyList<SegmentRecord> segments, CancellationToken ct)
    {
        await scheduler.SubmitAsync(render, [.. segments.Where(s => s.State != SegmentState.Done)
            .Select(s => CommandPublisher.Segment(render.Id, new SegmentPlan(s.Index, s.FirstFrame, s.FrameCount), s.Take))], republish: true, ct);
        await store.MarkDispatchedAsync(render.Id, ct);
    }

    /// <summary>Hands over the segment's current take again, after a quality retake.</summary>
    public Task RetakeAsync(RenderRecord render, SegmentRecord segment, CancellationToken ct) =>
        scheduler.SubmitAsync(render, [CommandPublisher.Segment(render.Id, new SegmentPlan(segment.Index, segment.FirstFrame, segment.FrameCount), segment.Take)],
            republish: false, ct);
}
