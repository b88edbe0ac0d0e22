namespace EmoFarm.Farm.Planning;

/// <summary>Splits a render's frames into overlapping segments of S frames that share O frames with the next.</summary>
public static class SegmentPlanner
{
    /// <summary>Frames needed to cover <paramref name="audioSeconds"/> at <paramref name="fps"/>: the video never ends early.</summary>
    public static int FrameCount(double audioSeconds, int fps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(audioSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fps);
        // The epsilon keeps exact multiples (e.g. 2.0 s at 25 fps) from rounding up by float noise.
        return Math.Max(1, (int)Math.Ceiling(audioSeconds * fps - 1e-6));
    }

    public static IReadOnlyList<SegmentPlan> Plan(int totalFrames, int segmentFrames, int overlapFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalFrames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(segmentFrames);
        ArgumentOutOfRangeException.ThrowIfNegative(overlapFrames);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(overlapFrames, segmentFrames);

        if (totalFrames <= segmentFrames)
            return [new SegmentPlan(0, 0, totalFrames)];

        // Every segment but the last is full, so each seam overlaps by exactly O frames, and the last segment is
        // longer than O (otherwise one fewer segment would already have covered the frames).
        var stride = segmentFrames - overlapFrames;
        var count = 1 + (totalFrames - segmentFrames + stride - 1) / stride;
        var segments = new SegmentPlan[count];
        for (var i = 0; i < count; i++)
        {
            var first = i * stride;
            segments[i] = new SegmentPlan(i, first, Math.Min(segmentFrames, totalFrames - first));
        }
        return segments;
    }

    public static IReadOnlyList<SeamPlan> Seams(IReadOnlyList<SegmentPlan> segments)
    {
        var seams = new SeamPlan[Math.Max(0, segments.Count - 1)];
        for (var i = 0; i < seams.Length; i++)
        {
            var right = segments[i + 1];
            seams[i] = new SeamPlan(i, right.FirstFrame, segments[i].EndFrame - right.FirstFrame);
        }
        return seams;
    }
}
