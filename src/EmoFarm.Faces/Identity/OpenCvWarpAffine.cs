namespace EmoFarm.Faces.Identity;

/// <summary>
/// <c>cv2.warpAffine(img, M, (w, h), borderValue=0)</c> (INTER_LINEAR, BORDER_CONSTANT) on 8-bit 3-channel images,
/// bit for bit as OpenCV 4.x computes it (before 4.11's float kernels): the inverse map in double, source
/// coordinates in 1/1024 pixels rounded to a 1/32 grid, and 15-bit bilinear weights; taps outside the image read 0.
/// </summary>
internal static class OpenCvWarpAffine
{
    private const int Channels = 3, InterBits = 5, TabSize = 1 << InterBits, AbBits = 10, AbScale = 1 << AbBits;
    private const int RoundDelta = AbScale / TabSize / 2, CoefBits = 15;

    /// <param name="m">The forward 2×3 matrix, row-major: dst = M·[x, y, 1].</param>
    public static byte[] Linear(ReadOnlySpan<byte> src, int srcWidth, int srcHeight, ReadOnlySpan<double> m, int dstWidth, int dstHeight)
    {
        // cv::warpAffine inverts M itself unless WARP_INVERSE_MAP is given.
        var d = (m[0] * m[4]) - (m[1] * m[3]);
        d = d != 0 ? 1.0 / d : 0;
        var (a11, a22) = (m[4] * d, m[0] * d);
        var inv = new[] { a11, m[1] * -d, 0, m[3] * -d, a22, 0 };
        inv[2] = (-inv[0] * m[2]) - (inv[1] * m[5]);
        inv[5] = (-inv[3] * m[2]) - (inv[4] * m[5]);

        var adelta = new int[dstWidth];
        var bdelta = new int[dstWidth];
        for (var x = 0; x < dstWidth; x++)
        {
            adelta[x] = SaturateInt(inv[0] * x * AbScale);
            bdelta[x] = SaturateInt(inv[3] * x * AbScale);
        }

        var dst = new byte[dstWidth * dstHeight * Channels];
        for (var y = 0; y < dstHeight; y++)
        {
            var x0 = SaturateInt(((inv[1] * y) + inv[2]) * AbScale) + RoundDelta;
            var y0 = SaturateInt(((inv[4] * y) + inv[5]) * AbScale) + RoundDelta;
            for (var x = 0; x < dstWidth; x++)
            {
                var sx32 = (x0 + adelta[x]) >> (AbBits - InterBits);
                var sy32 = (y0 + bdelta[x]) >> (AbBits - InterBits);
                // The map is stored as shorts, saturated.
                var sx = Math.Clamp(sx32 >> InterBits, short.MinValue, short.MaxValue);
                var sy = Math.Clamp(sy32 >> InterBits, short.MinValue, short.MaxValue);
                var (fx, fy) = (sx32 & (TabSize - 1), sy32 & (TabSize - 1));
                // initInterTab2D's bilinear table: products of i/32 are exact, so each weight is an integer and
                // the four sum to 32768 with no correction.
                var w00 = (TabSize - fy) * (TabSize - fx) * 32;
                var w01 = (TabSize - fy) * fx * 32;
                var w10 = fy * (TabSize - fx) * 32;
                var w11 = fy * fx * 32;
                var o = ((y * dstWidth) + x) * Channels;
                for (var c = 0; c < Channels; c++)
                {
                    var sum = (Tap(src, srcWidth, srcHeight, sx, sy, c) * w00) + (Tap(src, srcWidth, srcHeight, sx + 1, sy, c) * w01)
                        + (Tap(src, srcWidth, srcHeight, sx, sy + 1, c) * w10) + (Tap(src, srcWidth, srcHeight, sx + 1, sy + 1, c) * w11);
                    dst[o + c] = (byte)Math.Clamp((sum + (1 << (CoefBits - 1))) >> CoefBits, 0, 255);
                }
            }
        }

        return dst;
    }

    private static int Tap(ReadOnlySpan<byte> src, int width, int height, int x, int y, int c) =>
        (uint)x < (uint)width && (uint)y < (uint)height ? src[(((y * width) + x) * Channels) + c] : 0;

    // saturate_cast<int>(double): round to nearest, ties to even, clamped.
    private static int SaturateInt(double v) =>
        double.IsNaN(v) ? int.MinValue : (int)Math.Clamp(Math.Round(v, MidpointRounding.ToEven), int.MinValue, int.MaxValue);
}
