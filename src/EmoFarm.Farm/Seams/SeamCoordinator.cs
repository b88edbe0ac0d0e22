using EmoFarm.Contracts;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Telemetry;
using EmoFarm.Farm.Video;

namespace EmoFarm.Farm.Seams;

/// <summary>
/// The orchestrator's half of a seam's life: reconciles each seam once both of its neighbours are done (itself, or by
/// asking a worker for a continuation), measures it, and hands the chunks that became final to
/// <see cref="RenderCompletion"/>. Every step is idempotent, so a redelivered event simply checks again.
/// </summary>
public sealed class SeamCoordinator(IRenderStore store, CrossfadeReconciler crossfade, MotionFrameReconciler motion, SeamQualityMeter seamQuality, RenderCompletion completion)
{
    public async Task OnSegmentDoneAsync(string renderId, int segment, CancellationToken ct)
    {
        var render = await store.GetAsync(renderId, ct);
        if (render is null || RenderStateMachine.IsTerminal(render.State))
            return;
        var segments = await store.GetSegmentsAsync(renderId, ct);
        var seams = SegmentPlanner.Seams([.. segments.Select(s => new SegmentPlan(s.Index, s.FirstFrame, s.FrameCount))]);
        var done = new HashSet<int>(await store.GetDoneSeamsAsync(renderId, ct));
        var completed = new List<int>();
        foreach (var seam in seams.Where(s => s.LeftSegment == segment || s.RightSegment == segment))
        {
            if (done.Contains(seam.Index) || segments[seam.LeftSegment].State != SegmentState.Done || segments[seam.RightSegment].State != SegmentState.Done)
                continue;
            using var activity = FarmTelemetry.Source.StartActivity("reconcile seam");
            var reconciler = ReconcilerFor(render, seam, segments);
            activity?.SetTag("emofarm.render_id", renderId).SetTag("emofarm.seam", seam.Index).SetTag("emofarm.strategy", reconciler.GetType().Name);
            if (render.Spec.SeamStrategy == SeamStrategyKind.MotionFrames && reconciler == crossfade)
            {
                var lead = seam.FirstFrame - segments[seam.LeftSegment].FirstFrame;
                await store.RecordSeamFallbackAsync(renderId, seam.Index,
                    $"only {lead} frames of the left segment precede the overlap; a motion-frame continuation needs {MotionFrameReconciler.MotionFrames}", ct);
                FarmTelemetry.SeamFallbacks.Add(1, new KeyValuePair<string, object?>("reason", "short"));
            }
            if (await reconciler.ReconcileAsync(render, seam, segments, ct))
            {
                await store.CompleteSeamAsync(renderId, seam.Index, ct);
                done.Add(seam.Index);
                completed.Add(seam.Index);
            }
        }
        await MeasureAsync(render, segments, done, completed, ct);
        // The segment's own chunk, and the next one for each seam reconciled here.
        await completion.AdvanceAsync(renderId, [segment, .. completed.Select(s => s + 1)], ct);
    }

    /// <summary>After a worker-rendered seam is blended and completed: measures what is ready, then checks for the end.</summary>
    public async Task OnSeamDoneAsync(RenderRecord render, IReadOnlyList<SegmentRecord> segments, int seam, CancellationToken ct)
    {
        await MeasureAsync(render, segments, await store.GetDoneSeamsAsync(render.Id, ct), [seam], ct);
        // The seam's frames lie in the right segment's chunk.
        await completion.AdvanceAsync(render.Id, [seam + 1], ct);
    }

    /// <summary>
    /// Measures the seams just completed and, once every seam is done, whatever is left, before the last chunks are
    /// asked for: so a render is never assembled with its seams unchecked. A repeat finds everything measured.
    /// </summary>
    private async Task MeasureAsync(RenderRecord render, IReadOnlyList<SegmentRecord> segments, IReadOnlySet<int> done, List<int> completed,
        CancellationToken ct)
    {
        if (done.Count >= segments.Count - 1)
            await seamQuality.MeasureAsync(render, segments, done, completed: null, ct);
        else if (completed.Count > 0)
            await seamQuality.MeasureAsync(render, segments, done, completed, ct);
    }

    // The motion strategy needs frames before the overlap inside the left segment to condition on.
    private ISeamReconciler ReconcilerFor(RenderRecord render, SeamPlan seam, IReadOnlyList<SegmentRecord> segments) =>
        render.Spec.SeamStrategy == SeamStrategyKind.MotionFrames
        && seam.FirstFrame - segments[seam.LeftSegment].FirstFrame >= MotionFrameReconciler.MotionFrames
            ? motion
            : crossfade;
}
