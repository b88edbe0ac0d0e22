namespace EmoFarm.Faces.Masks;

/// <summary>
/// <c>cv2.resize(src, (w, h))</c> (INTER_LINEAR) on an 8-bit single-channel image in OpenCV 4.6:
/// the same size copies; an exact halving in both axes averages 2×2 blocks (OpenCV switches to INTER_AREA there);
/// anything else is the fixed-point bilinear path: 11-bit weights from float offsets, an exact horizontal pass,
/// and a vertical pass that drops 4 then 16 bits before it rounds (VResizeLinearVec_32s8u and its scalar twin).
/// </summary>
internal static class OpenCvResize
{
    private const int CoefficientBits = 11;
    private const int One = 1 << CoefficientBits;
    private const double DoubleEpsilon = 2.220446049250313e-16;   // C's DBL_EPSILON

    public static GrayImage Linear(GrayImage src, int dw, int dh)
    {
        var (sw, sh) = (src.Width, src.Height);
        if (sw == dw && sh == dh)
            return new GrayImage(dw, dh, (byte[])src.Pixels.Clone());

        double inverseX = (double)dw / sw, inverseY = (double)dh / sh;
        double scaleX = 1.0 / inverseX, scaleY = 1.0 / inverseY;
        var wholeX = (int)Math.Round(scaleX, MidpointRounding.ToEven);
        var wholeY = (int)Math.Round(scaleY, MidpointRounding.ToEven);
        if (Math.Abs(scaleX - wholeX) < DoubleEpsilon && Math.Abs(scaleY - wholeY) < DoubleEpsilon && wholeX == 2 && wholeY == 2)
            return HalveByArea(src, dw, dh);

        var xofs = new int[dw];
        var alpha = new int[dw * 2];
        var xmax = dw;
        for (var dx = 0; dx < dw; dx++)
        {
            var fx = (float)(((dx + 0.5) * scaleX) - 0.5);
            var sx = (int)MathF.Floor(fx);
            fx -= sx;
            if (sx < 0)
                (fx, sx) = (0f, 0);
            if (sx + 1 >= sw)
            {
                xmax = Math.Min(xmax, dx);
                if (sx >= sw - 1)
                    (fx, sx) = (0f, sw - 1);
            }

            xofs[dx] = sx;
            (alpha[2 * dx], alpha[(2 * dx) + 1]) = Weights(fx);
        }

        // Horizontal pass, exact: S[sx]·a0 + S[sx+1]·a1, or S[sx]·2048 right of the last full pair.
        var p = src.Pixels;
        var horizontal = new int[sh * dw];
        for (var y = 0; y < sh; y++)
        {
            var row = y * sw;
            for (var dx = 0; dx < dw; dx++)
            {
                var sx = row + xofs[dx];
                horizontal[(y * dw) + dx] = dx < xmax ? (p[sx] * alpha[2 * dx]) + (p[sx + 1] * alpha[(2 * dx) + 1]) : p[sx] * One;
            }
        }

        // The vector loops cover x below this; the rest is the scalar loop, which casts to a byte instead of saturating.
        var vectorEnd = dw / 16 * 16;
        while (vectorEnd < dw - 8)
            vectorEnd += 8;

        var dst = new byte[dw * dh];
        for (var dy = 0; dy < dh; dy++)
        {
            var fy = (float)(((dy + 0.5) * scaleY) - 0.5);
            var sy = (int)MathF.Floor(fy);
            fy -= sy;
            var (b0, b1) = Weights(fy);
            var r0 = Math.Clamp(sy, 0, sh - 1) * dw;
            var r1 = Math.Clamp(sy + 1, 0, sh - 1) * dw;
            for (var x = 0; x < dw; x++)
            {
                var v = (((b0 * (horizontal[r0 + x] >> 4)) >> 16) + ((b1 * (horizontal[r1 + x] >> 4)) >> 16) + 2) >> 2;
                dst[(dy * dw) + x] = x < vectorEnd ? (byte)Math.Clamp(v, 0, 255) : unchecked((byte)v);
            }
        }

        return new GrayImage(dw, dh, dst);
    }

    // cbuf = {1 − f, f} in float, each times 2048 rounded half to even (saturate_cast<short>).
    private static (int, int) Weights(float f)
    {
        var c0 = 1f - f;
        return ((int)MathF.Round(c0 * One, MidpointRounding.ToEven), (int)MathF.Round(f * One, MidpointRounding.ToEven));
    }

    // resizeAreaFast_ for a scale of exactly 2: (a + b + c + d + 2) >> 2.
    private static GrayImage HalveByArea(GrayImage src, int dw, int dh)
    {
        var (sw, p) = (src.Width, src.Pixels);
        var dst = new byte[dw * dh];
        for (var y = 0; y < dh; y++)
        {
            for (var x = 0; x < dw; x++)
            {
                var i = (2 * y * sw) + (2 * x);
                dst[(y * dw) + x] = (byte)((p[i] + p[i + 1] + p[i + sw] + p[i + sw + 1] + 2) >> 2);
            }
        }

        return new GrayImage(dw, dh, dst);
    }
}
