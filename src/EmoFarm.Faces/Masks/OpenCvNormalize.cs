namespace EmoFarm.Faces.Masks;

/// <summary>
/// <c>cv2.normalize(src, None, 0, 255, cv2.NORM_MINMAX)</c> on an 8-bit image in OpenCV 4.6: scale and shift in
/// double, then <c>convertTo</c>, which maps each byte as round-half-even(x · (float)scale + (float)shift).
/// OpenCV's AVX2 build (dispatched on any x86-64 CPU with AVX2 and FMA3, which made the Hallo fixture) computes
/// that as one fused multiply-add; a CPU without them rounds the product first, which changes 6498 of the
/// 2.8 million (min, max, value) combinations by one. This follows the fused form.
/// </summary>
internal static class OpenCvNormalize
{
    public static GrayImage MinMax(GrayImage src)
    {
        var p = src.Pixels;
        int min = 255, max = 0;
        foreach (var v in p)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        // A constant image gets scale 0 (and shift 0): every pixel becomes 0.
        var scale = 255.0 * (max - min > DoubleEpsilon ? 1.0 / (max - min) : 0.0);
        var shift = 0.0 - (min * scale);
        if (Math.Abs(scale - 1) < DoubleEpsilon && Math.Abs(shift) < DoubleEpsilon)
            return new GrayImage(src.Width, src.Height, (byte[])p.Clone());

        var a = (float)scale;
        var b = (float)shift;
        var dst = new byte[p.Length];
        for (var i = 0; i < p.Length; i++)
            dst[i] = (byte)Math.Clamp(MathF.Round(MathF.FusedMultiplyAdd(p[i], a, b), MidpointRounding.ToEven), 0, 255);
        return new GrayImage(src.Width, src.Height, dst);
    }

    // C's DBL_EPSILON (2^-52); .NET's double.Epsilon is the smallest subnormal, which is not what OpenCV compares with.
    private const double DoubleEpsilon = 2.220446049250313e-16;
}
