using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;

namespace EmoFarm.Farm.Frames;

/// <summary>Which stored object supplies each frame of the final video: a reconciled seam frame inside an
/// overlap, otherwise the kept take of the one segment that rendered it.</summary>
public static class FrameSources
{
    public static IReadOnlyList<string> Keys(string tenant, string renderId, IReadOnlyList<SegmentRecord> segments, bool reconciled) =>
        [.. Enumerable.Range(0, segments[^1].FirstFrame + segments[^1].FrameCount).Select(f => Key(tenant, renderId, segments, f, reconciled))];

    /// <summary>The source of one frame; <paramref name="segments"/> in order.</summary>
    public static string Key(string tenant, string renderId, IReadOnlyList<SegmentRecord> segments, int frame, bool reconciled = true)
    {
        // The last segment starting at or before the frame: later segments overwrite an overlap, so without
        // reconciliation the cut falls at the right segment's start.
        int right = 0, high = segments.Count - 1;
        while (right < high)
        {
            var middle = (right + high + 1) / 2;
            if (segments[middle].FirstFrame <= frame)
                right = middle;
            else
                high = middle - 1;
        }
        // Seam i is the overlap of segments i and i + 1.
        var left = right - 1;
        return reconciled && left >= 0 && frame < segments[left].FirstFrame + segments[left].FrameCount
            ? BlobKeys.SeamFrame(tenant, renderId, left, frame)
            : Frame(tenant, renderId, segments[right], frame);
    }

    /// <summary>A frame of the segment's current (once done, kept) take.</summary>
    public static string Frame(string tenant, string renderId, SegmentRecord segment, int frame) => BlobKeys.Frame(tenant, renderId, segment.Index, frame, segment.Take);
}
