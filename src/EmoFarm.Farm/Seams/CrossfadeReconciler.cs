using EmoFarm.Farm.Frames;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;

namespace EmoFarm.Farm.Seams;

/// <summary>The baseline: blend the left segment's rendering of the overlap into the right one's.</summary>
public sealed class CrossfadeReconciler(IBlobStore blobs) : ISeamReconciler
{
    public async Task<bool> ReconcileAsync(RenderRecord render, SeamPlan seam, IReadOnlyList<SegmentRecord> segments, CancellationToken ct)
    {
        await Crossfade.BlendStoredAsync(new FrameStore(blobs), [.. Enumerable.Range(seam.FirstFrame, seam.FrameCount)],
            f => FrameSources.Frame(render.Tenant, render.Id, segments[seam.LeftSegment], f),
            f => FrameSources.Frame(render.Tenant, render.Id, segments[seam.RightSegment], f),
            f => BlobKeys.SeamFrame(render.Tenant, render.Id, seam.Index, f), ct);
        return true;
    }
}
