using EmoFarm.Farm.Planning;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;

namespace EmoFarm.Farm.Orchestration;

/// <summary>Which stored object supplies each frame of the final video: a reconciled seam frame inside an
/// overlap, otherwise the one segment that rendered it.</summary>
public static class FrameSources
{
    public static IReadOnlyList<string> Keys(string renderId, IReadOnlyList<SegmentRecord> segments, bool reconciled)
    {
        var plans = segments.Select(s => new SegmentPlan(s.Index, s.FirstFrame, s.FrameCount)).ToList();
        var total = plans[^1].EndFrame;
        var keys = new string[total];
        // Later segments overwrite the overlap, so without reconciliation the cut falls at the right segment's start.
        foreach (var s in plans)
            for (var f = s.FirstFrame; f < s.EndFrame; f++)
                keys[f] = Frame(renderId, segments[s.Index], f);
        if (reconciled)
            foreach (var seam in SegmentPlanner.Seams(plans))
                for (var f = seam.FirstFrame; f < seam.EndFrame; f++)
                    keys[f] = BlobKeys.SeamFrame(renderId, seam.Index, f);
        return keys;
    }

    /// <summary>A frame of the segment's current (once done, kept) take.</summary>
    public static string Frame(string renderId, SegmentRecord segment, int frame) => BlobKeys.Frame(renderId, segment.Index, frame, segment.Take);
}
