namespace EmoFarm.Farm.Vocals;

/// <summary>
/// The numpy arithmetic audio-separator applies to waveforms, in the same float widths, so that the results agree
/// to the bit: spec_utils.normalize and numpy's hanning.
/// </summary>
internal static class UvrWave
{
    /// <summary>
    /// spec_utils.normalize over both channels, in place: when the peak |x| exceeds <paramref name="maxPeak"/>, every
    /// sample is multiplied by maxPeak / peak. numpy compares and divides the float32 peak as float64 (NumPy 1.x
    /// promotes two scalars), then multiplies the float32 array by that factor rounded to float32.
    /// </summary>
    public static void Normalize(Span<float> left, Span<float> right, double maxPeak)
    {
        var peak = Math.Max(Peak(left), Peak(right));
        if (peak <= maxPeak)
            return;
        var factor = (float)(maxPeak / peak);
        Scale(left, factor);
        Scale(right, factor);
    }

    public static float Peak(ReadOnlySpan<float> samples)
    {
        var peak = 0f;
        foreach (var x in samples)
            peak = Math.Max(peak, Math.Abs(x));
        return peak;
    }

    private static void Scale(Span<float> samples, float factor)
    {
        for (var i = 0; i < samples.Length; i++)
            samples[i] *= factor;
    }

    /// <summary>np.hanning(m), the symmetric window, in float64: 0.5 + 0.5 cos(pi n / (m - 1)) for n = 1 - m, 3 - m, …, m - 1.</summary>
    public static double[] Hanning(int m)
    {
        if (m == 1)
            return [1.0];
        var window = new double[m];
        for (var k = 0; k < m; k++)
        {
            double n = 1 - m + 2 * k;
            window[k] = 0.5 + 0.5 * Math.Cos(Math.PI * n / (m - 1));
        }
        return window;
    }
}
