namespace EmoFarm.Faces.Masks;

/// <summary>
/// <c>cv2.GaussianBlur(src, (n, n), 0)</c> on an 8-bit image in OpenCV 4.6 (its bit-exact fixed-point path,
/// <c>GaussianBlurFixedPoint</c>, with the default BORDER_REFLECT_101). The row pass multiplies bytes by taps with
/// 8 fraction bits and sums them without rounding (16-bit results); the column pass sums those times the taps
/// (16 fraction bits) and rounds half up to a byte. Every step is exact integer arithmetic, so the order of the
/// sums, SIMD or scalar, cannot change the result.
/// </summary>
internal static class OpenCvGaussianBlur
{
    public static GrayImage Blur(GrayImage src, int n)
    {
        var (w, h) = (src.Width, src.Height);
        // OpenCV shrinks the kernel to 1 along an axis that is one pixel long; a kernel of 1 copies.
        var kx = w == 1 ? [1 << OpenCvGaussianKernel.FractionBits] : OpenCvGaussianKernel.FixedPoint(n);
        var ky = h == 1 ? [1 << OpenCvGaussianKernel.FractionBits] : OpenCvGaussianKernel.FixedPoint(n);
        var p = src.Pixels;

        var rows = new int[w * h];
        var rx = kx.Length / 2;
        for (var x = 0; x < w; x++)
        {
            for (var y = 0; y < h; y++)
            {
                var sum = 0;
                for (var j = 0; j < kx.Length; j++)
                    sum += kx[j] * p[(y * w) + Reflect101(x + j - rx, w)];
                rows[(y * w) + x] = sum;
            }
        }

        var dst = new byte[w * h];
        var ry = ky.Length / 2;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                long sum = 0;
                for (var j = 0; j < ky.Length; j++)
                    sum += (long)ky[j] * rows[(Reflect101(y + j - ry, h) * w) + x];
                dst[(y * w) + x] = (byte)Math.Min(255, (sum + (1 << 15)) >> 16);
            }
        }

        return new GrayImage(w, h, dst);
    }

    /// <summary>OpenCV's <c>borderInterpolate</c> for BORDER_REFLECT_101: …, 2, 1 | 0, 1, …, n−1 | n−2, n−3, ….</summary>
    internal static int Reflect101(int i, int n)
    {
        if (n == 1) return 0;
        while (i < 0 || i >= n)
            i = i < 0 ? -i : (2 * n) - 2 - i;
        return i;
    }
}
