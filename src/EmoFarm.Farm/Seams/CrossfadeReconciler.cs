using EmoFarm.Farm.Planning;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Work;

namespace EmoFarm.Farm.Seams;

/// <summary>The baseline: blend the left segment's rendering of the overlap into the right one's.</summary>
public sealed class CrossfadeReconciler(IBlobStore blobs) : ISeamReconciler
{
    public async Task<bool> ReconcileAsync(RenderRecord render, SeamPlan seam, CancellationToken ct)
    {
        var frames = new FrameStore(blobs);
        var range = Enumerable.Range(seam.FirstFrame, seam.FrameCount).ToList();
        var left = await frames.GetManyAsync(range.Select(f => BlobKeys.Frame(render.Id, seam.LeftSegment, f)), ct);
        var right = await frames.GetManyAsync(range.Select(f => BlobKeys.Frame(render.Id, seam.RightSegment, f)), ct);
        await frames.PutAsync([.. Crossfade.Blend(left, right).Select((image, j) => (BlobKeys.SeamFrame(render.Id, seam.Index, range[j]), image))], 8, ct);
        return true;
    }
}
