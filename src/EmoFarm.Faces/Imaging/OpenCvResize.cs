namespace EmoFarm.Faces.Imaging;

/// <summary>
/// <c>cv2.resize(img, (w, h))</c> (INTER_LINEAR) on 8-bit images of 1 or 3 channels, bit for bit as OpenCV 4.x computes it
/// on x86 without IPP: the same size is a copy; exactly half in both axes takes the INTER_AREA fast path;
/// anything else is the fixed-point separable filter with 11-bit coefficients. The identity detector's letterbox
/// (colour) and Hallo's blurred masks (gray) both go through it.
/// </summary>
internal static class OpenCvResize
{
    private const int CoefBits = 11, CoefScale = 1 << CoefBits;

    // C's DBL_EPSILON (.NET's double.Epsilon is the smallest subnormal instead).
    private const double DblEpsilon = 2.220446049250313e-16;

    public static byte[] Linear(ReadOnlySpan<byte> src, int srcWidth, int srcHeight, int dstWidth, int dstHeight, int channels = 3)
    {
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), $"{channels} channels: 1 or 3");
        if (dstWidth <= 0 || dstHeight <= 0)
            throw new ArgumentOutOfRangeException(nameof(dstWidth), $"cv2.resize to {dstWidth}×{dstHeight}: the size must be positive");
        if (srcWidth == dstWidth && srcHeight == dstHeight) return src[..(srcWidth * srcHeight * channels)].ToArray();

        var scaleX = 1.0 / ((double)dstWidth / srcWidth);
        var scaleY = 1.0 / ((double)dstHeight / srcHeight);
        var (iscaleX, iscaleY) = ((int)Math.Round(scaleX), (int)Math.Round(scaleY));
        var areaFast = Math.Abs(scaleX - iscaleX) < DblEpsilon && Math.Abs(scaleY - iscaleY) < DblEpsilon;
        return areaFast && iscaleX == 2 && iscaleY == 2
            ? HalveArea(src, srcWidth, dstWidth, dstHeight, channels)
            : Generic(src, srcWidth, srcHeight, dstWidth, dstHeight, scaleX, scaleY, channels);
    }

    // resizeGeneric_ with HResizeLinear<uchar, int, short> and VResizeLinear's 8-bit kernel.
    private static byte[] Generic(ReadOnlySpan<byte> src, int sw, int sh, int dw, int dh, double scaleX, double scaleY, int channels)
    {
        var xofs = new int[dw];
        var alpha = new int[dw * 2];
        for (var dx = 0; dx < dw; dx++)
        {
            var (sx, a0, a1) = Tap(dx, scaleX, sw);
            (xofs[dx], alpha[dx * 2], alpha[(dx * 2) + 1]) = (sx, a0, a1);
        }

        var rowBuffers = new int[2][];
        var rowOf = new[] { -1, -1 };
        rowBuffers[0] = new int[dw * channels];
        rowBuffers[1] = new int[dw * channels];
        var dst = new byte[dw * dh * channels];
        for (var dy = 0; dy < dh; dy++)
        {
            var fy = (float)(((dy + 0.5) * scaleY) - 0.5);
            var sy = (int)Math.Floor(fy);
            fy -= sy;
            // No clamping of fy here: OpenCV clamps only the rows (below), not the weights.
            var b0 = RoundToShort((1f - fy) * CoefScale);
            var b1 = RoundToShort(fy * CoefScale);
            var r0 = Horizontal(src, sw, Math.Clamp(sy, 0, sh - 1), xofs, alpha, rowBuffers, rowOf, 0, channels);
            var r1 = Horizontal(src, sw, Math.Clamp(sy + 1, 0, sh - 1), xofs, alpha, rowBuffers, rowOf, 1, channels);
            var d = dst.AsSpan(dy * dw * channels, dw * channels);
            for (var x = 0; x < d.Length; x++)
            {
                // VResizeLinearVec_32s8u's arithmetic (v_mul_hi on values >> 4, then a rounding shift by 2), which
                // OpenCV's scalar tail repeats so that every element rounds alike.
                d[x] = (byte)((((b0 * (r0[x] >> 4)) >> 16) + ((b1 * (r1[x] >> 4)) >> 16) + 2) >> 2);
            }
        }

        return dst;
    }

    private static (int Sx, int A0, int A1) Tap(int dx, double scale, int srcSize)
    {
        var fx = (float)(((dx + 0.5) * scale) - 0.5);
        var sx = (int)Math.Floor(fx);
        fx -= sx;
        if (sx < 0) (fx, sx) = (0f, 0);
        if (sx + 1 >= srcSize) (fx, sx) = (0f, srcSize - 1);
        return (sx, RoundToShort((1f - fx) * CoefScale), RoundToShort(fx * CoefScale));
    }

    private static int[] Horizontal(ReadOnlySpan<byte> src, int sw, int sy, int[] xofs, int[] alpha, int[][] rows, int[] rowOf, int slot, int channels)
    {
        if (rowOf[slot] == sy) return rows[slot];
        var row = src.Slice(sy * sw * channels, sw * channels);
        var d = rows[slot];
        for (var dx = 0; dx < xofs.Length; dx++)
        {
            var s = xofs[dx] * channels;
            var (a0, a1) = (alpha[dx * 2], alpha[(dx * 2) + 1]);
            // At the right edge a1 is 0 and OpenCV reads only the last pixel (S[sx]·2048).
            for (var c = 0; c < channels; c++)
                d[(dx * channels) + c] = a1 == 0 ? row[s + c] * a0 : (row[s + c] * a0) + (row[s + channels + c] * a1);
        }

        rowOf[slot] = sy;
        return d;
    }

    // resizeAreaFast_Invoker for a 2×2 box: the mean of four pixels rounded half up, (sum + 2) >> 2, in its SIMD
    // body and its scalar tail alike (checked against cv2 4.6 on random images of many widths).
    private static byte[] HalveArea(ReadOnlySpan<byte> src, int sw, int dw, int dh, int channels)
    {
        var dst = new byte[dw * dh * channels];
        var width = dw * channels;
        for (var dy = 0; dy < dh; dy++)
        {
            var s0 = src.Slice(2 * dy * sw * channels, sw * channels);
            var s1 = src.Slice(((2 * dy) + 1) * sw * channels, sw * channels);
            for (var x = 0; x < width; x++)
            {
                var (px, c) = Math.DivRem(x, channels);
                var i = (2 * px * channels) + c;
                dst[(dy * width) + x] = (byte)((s0[i] + s0[i + channels] + s1[i] + s1[i + channels] + 2) >> 2);
            }
        }

        return dst;
    }

    // saturate_cast<short>(float): round to nearest, ties to even (cvRound).
    private static int RoundToShort(float v) => (int)Math.Clamp(MathF.Round(v, MidpointRounding.ToEven), short.MinValue, short.MaxValue);
}
