namespace EmoFarm.Faces.Quality;

/// <summary>
/// The lip-sync proxy: how well the mouth opening follows the loudness of the audio. A talking face opens its mouth
/// when the voice is loud, so the two series correlate; a still face, or one moving out of time, does not. The lag
/// search absorbs the frame or two by which articulation leads or trails the sound.
/// </summary>
public static class LipSync
{
    /// <summary>The lag (in frames) searched on each side.</summary>
    public const int MaxLag = 2;

    /// <summary>
    /// The best Pearson correlation between <paramref name="mouthOpening"/>[t] and <paramref name="loudness"/>[t + lag]
    /// for lag in [-<see cref="MaxLag"/>, <see cref="MaxLag"/>]. Frames whose opening is NaN (no face) are left out.
    /// A constant series has no correlation with anything: its score is 0.
    /// </summary>
    public static (double Correlation, int Lag) BestCorrelation(IReadOnlyList<double> mouthOpening, IReadOnlyList<double> loudness)
    {
        var best = (Correlation: 0.0, Lag: 0);
        for (var lag = -MaxLag; lag <= MaxLag; lag++)
        {
            var r = Correlation(mouthOpening, loudness, lag);
            if (r > best.Correlation) best = (r, lag);
        }

        return best;
    }

    internal static double Correlation(IReadOnlyList<double> x, IReadOnlyList<double> y, int lag)
    {
        var pairs = new List<(double X, double Y)>();
        for (var t = 0; t < x.Count; t++)
        {
            var u = t + lag;
            if (u < 0 || u >= y.Count || double.IsNaN(x[t]) || double.IsNaN(y[u])) continue;
            pairs.Add((x[t], y[u]));
        }

        // Fewer than 3 pairs cannot show a relation worth naming.
        if (pairs.Count < 3) return 0;
        var mx = pairs.Average(p => p.X);
        var my = pairs.Average(p => p.Y);
        double sxy = 0, sxx = 0, syy = 0;
        foreach (var (px, py) in pairs)
        {
            sxy += (px - mx) * (py - my);
            sxx += (px - mx) * (px - mx);
            syy += (py - my) * (py - my);
        }

        // Relative floors: a series that varies by rounding noise only is constant.
        var scale = Math.Max(1e-12, pairs.Max(p => Math.Abs(p.X)) * pairs.Max(p => Math.Abs(p.Y)));
        if (sxx * syy <= 1e-12 * scale * scale * pairs.Count * pairs.Count) return 0;
        return sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>
    /// The loudness envelope of 16 kHz (or any rate) mono audio at the video frame rate: the RMS of the samples each
    /// frame spans. <paramref name="leadSamples"/> are skipped first (audio context before frame 0).
    /// </summary>
    public static double[] Envelope(ReadOnlySpan<float> samples, int sampleRate, int leadSamples, int frames, double fps)
    {
        var envelope = new double[frames];
        for (var f = 0; f < frames; f++)
        {
            var start = leadSamples + (long)Math.Round(f * sampleRate / fps);
            var end = leadSamples + (long)Math.Round((f + 1) * sampleRate / fps);
            start = Math.Clamp(start, 0, samples.Length);
            end = Math.Clamp(end, start, samples.Length);
            double sum = 0;
            for (var i = start; i < end; i++) sum += samples[(int)i] * (double)samples[(int)i];
            envelope[f] = end > start ? Math.Sqrt(sum / (end - start)) : double.NaN;
        }

        return envelope;
    }
}
