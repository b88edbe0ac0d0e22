namespace EmoFarm.Faces.Quality;

/// <summary>
/// Landmark continuity: how far the 68 points move from one frame to the next, in units of the face's size so that
/// a close-up and a wide shot compare. A seam that joins two segments smoothly moves the face no more than the frames
/// inside a segment do; a cut (or a seam that failed) jumps.
/// </summary>
public static class LandmarkMotion
{
    /// <summary>
    /// The mean displacement of the points between consecutive frames, divided by the face's size (the diagonal of
    /// the points' bounding box in the first frame of the pair). NaN where either frame has no face.
    /// </summary>
    /// <param name="frames">Per frame, 68 points as x0, y0, x1, y1, …, or null where no face was found.</param>
    public static double[] Steps(IReadOnlyList<double[]?> frames)
    {
        var steps = new double[Math.Max(0, frames.Count - 1)];
        for (var t = 0; t + 1 < frames.Count; t++)
        {
            steps[t] = frames[t] is { } a && frames[t + 1] is { } b ? Step(a, b) : double.NaN;
        }

        return steps;
    }

    public static double Step(double[] a, double[] b)
    {
        if (a.Length != b.Length || a.Length % 2 != 0)
            throw new ArgumentException($"landmark arrays differ ({a.Length} vs {b.Length}) or are odd", nameof(b));
        double sum = 0, minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
        for (var i = 0; i < a.Length; i += 2)
        {
            sum += Math.Sqrt(((b[i] - a[i]) * (b[i] - a[i])) + ((b[i + 1] - a[i + 1]) * (b[i + 1] - a[i + 1])));
            (minX, maxX) = (Math.Min(minX, a[i]), Math.Max(maxX, a[i]));
            (minY, maxY) = (Math.Min(minY, a[i + 1]), Math.Max(maxY, a[i + 1]));
        }

        var size = Math.Sqrt(((maxX - minX) * (maxX - minX)) + ((maxY - minY) * (maxY - minY)));
        return size > 0 ? sum / (a.Length / 2) / size : double.NaN;
    }

    /// <summary>The median of the finite values; NaN when there are none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// The seam score: the largest step across the seam (the transitions from <paramref name="seamFrame"/> − 1 through
    /// <paramref name="seamFrame"/> + <paramref name="window"/> − 1, which a blended overlap spreads over) divided by
    /// the median step elsewhere. About 1 for a smooth join; a cut scores many times that. The floor on the median
    /// keeps a perfectly still sequence from dividing by zero. <paramref name="within"/> replaces the median
    /// elsewhere when the caller knows the segments' own motion better than a few frames around the seam show it.
    /// </summary>
    public static SeamContinuity ScoreSeam(IReadOnlyList<double> steps, int seamFrame, int window, double? within = null)
    {
        var first = Math.Max(0, seamFrame - 1);
        var last = Math.Min(steps.Count - 1, seamFrame + Math.Max(0, window - 1));
        var across = double.NaN;
        for (var t = first; t <= last; t++)
        {
            if (double.IsFinite(steps[t]) && !(steps[t] <= across)) across = steps[t];
        }

        var elsewhere = within is { } given && double.IsFinite(given) ? given : Median(steps.Where((_, t) => t < first || t > last));
        var ratio = double.IsFinite(across) && double.IsFinite(elsewhere) ? across / Math.Max(elsewhere, MinimumStep) : double.NaN;
        return new SeamContinuity(across, elsewhere, ratio);
    }

    /// <summary>0.1 % of the face's size per frame: below this a face is still, and a ratio against it means nothing.</summary>
    public const double MinimumStep = 1e-3;
}
