using EmoFarm.Contracts;
using EmoFarm.Farm.Frames;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Seams;

/// <summary>
/// Uses the model's own motion conditioning: a worker re-renders the overlap conditioned on the left segment's
/// frames just before it, so the right side of the seam continues the left side's motion instead of cutting to an
/// independently sampled pose. The continuation is then blended into the right segment over the overlap.
/// </summary>
public sealed class MotionFrameReconciler(FairScheduler scheduler, IBlobStore blobs, IOptions<OrchestratorOptions> options) : ISeamReconciler
{
    /// <summary>Frames of the left segment that condition the continuation.</summary>
    public const int MotionFrames = 2;

    public async Task<bool> ReconcileAsync(RenderRecord render, SeamPlan seam, IReadOnlyList<SegmentRecord> segments, CancellationToken ct)
    {
        var firstMotion = Math.Max(0, seam.FirstFrame - MotionFrames);
        var settings = render.Spec.Model;
        // Through the window: a continuation takes a GPU like a segment, so it takes its turn like one.
        var command = new RenderSeam
        {
            RenderId = render.Id,
            Tenant = render.Tenant,
            SeamIndex = seam.Index,
            FirstFrame = seam.FirstFrame,
            FrameCount = seam.FrameCount,
            MotionFrameKeys = [.. Enumerable.Range(firstMotion, seam.FirstFrame - firstMotion).Select(f => FrameSources.Frame(render.Tenant, render.Id, segments[seam.LeftSegment], f))],
            PortraitKey = render.PortraitKey,
            // The right segment's slice covers the overlap, which is where that segment starts.
            AudioSliceKey = BlobKeys.AudioSlice(render.Tenant, render.Id, seam.RightSegment),
            AudioLeadSamples = AudioSlicer.LeadSamples(seam.FirstFrame, settings.Fps, options.Value.AudioContextSeconds),
            Seed = Seeds.Derive(render.Spec.Seed, 1_000_000 + seam.Index),
            Settings = settings,
            Analysis = render.Analysis,
            MaxAttempts = options.Value.MaxSeamAttempts,
        };
        await scheduler.SubmitAsync(render, [CommandPublisher.Seam(command)], republish: false, ct);
        return false;
    }

    /// <summary>The second half, once the worker's continuation is stored: blends it into the right segment over the overlap.</summary>
    public Task BlendContinuationAsync(RenderRecord render, IReadOnlyList<SegmentRecord> segments, int seam, CancellationToken ct)
    {
        var right = segments[seam + 1];
        var overlap = segments[seam].FirstFrame + segments[seam].FrameCount - right.FirstFrame;
        return Crossfade.BlendStoredAsync(new FrameStore(blobs), [.. Enumerable.Range(right.FirstFrame, overlap)],
            f => BlobKeys.SeamContinuationFrame(render.Tenant, render.Id, seam, f),
            f => FrameSources.Frame(render.Tenant, render.Id, right, f),
            f => BlobKeys.SeamFrame(render.Tenant, render.Id, seam, f), ct);
    }
}
