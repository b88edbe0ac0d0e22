namespace EmoFarm.Faces.Masks;

/// <summary>
/// PIL's <c>Image.resize(size, Image.BILINEAR)</c> on an 8-bit image (Pillow 9.4, <c>libImaging/Resample.c</c>),
/// which torchvision 0.14's <c>Resize</c> calls for PIL images: a triangle filter widened by the scale when
/// shrinking (that is its antialiasing), weights normalised in double then fixed to 22 fraction bits, the
/// horizontal pass first and rounded to bytes, then the vertical pass. An axis that keeps its size is skipped.
/// </summary>
internal static class PilBilinear
{
    private const int PrecisionBits = 32 - 8 - 2;

    public static GrayImage Resize(GrayImage src, int width, int height)
    {
        var image = src;
        if (width != image.Width)
            image = Pass(image, width, horizontal: true);
        if (height != image.Height)
            image = Pass(image, height, horizontal: false);
        return ReferenceEquals(image, src) ? new GrayImage(src.Width, src.Height, (byte[])src.Pixels.Clone()) : image;
    }

    private static GrayImage Pass(GrayImage src, int outSize, bool horizontal)
    {
        var inSize = horizontal ? src.Width : src.Height;
        var (bounds, taps, ksize) = Coefficients(inSize, outSize);
        var (w, h) = horizontal ? (outSize, src.Height) : (src.Width, outSize);
        var p = src.Pixels;
        var dst = new byte[w * h];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var o = horizontal ? x : y;
                var (first, count) = bounds[o];
                var sum = 1 << (PrecisionBits - 1);
                for (var k = 0; k < count; k++)
                {
                    var pixel = horizontal ? p[(y * src.Width) + first + k] : p[((first + k) * src.Width) + x];
                    sum += pixel * taps[(o * ksize) + k];
                }

                dst[(y * w) + x] = (byte)Math.Clamp(sum >> PrecisionBits, 0, 255);
            }
        }

        return new GrayImage(w, h, dst);
    }

    // precompute_coeffs + normalize_coeffs_8bpc for the bilinear filter (support 1) over the whole image box.
    private static ((int First, int Count)[] Bounds, int[] Taps, int KernelSize) Coefficients(int inSize, int outSize)
    {
        var scale = (double)(float)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = 1.0 * filterScale;
        var ksize = ((int)Math.Ceiling(support) * 2) + 1;
        var bounds = new (int, int)[outSize];
        var taps = new int[outSize * ksize];
        var weights = new double[ksize];
        for (var xx = 0; xx < outSize; xx++)
        {
            var centre = 0.0 + ((xx + 0.5) * scale);
            var inverse = 1.0 / filterScale;
            var xmin = Math.Max(0, (int)(centre - support + 0.5));
            var xmax = Math.Min(inSize, (int)(centre + support + 0.5)) - xmin;
            var total = 0.0;
            for (var x = 0; x < xmax; x++)
            {
                var t = Math.Abs((x + xmin - centre + 0.5) * inverse);
                weights[x] = t < 1.0 ? 1.0 - t : 0.0;
                total += weights[x];
            }

            for (var x = 0; x < xmax; x++)
            {
                var k = total != 0.0 ? weights[x] / total : weights[x];
                taps[(xx * ksize) + x] = (int)(k < 0 ? -0.5 + (k * (1 << PrecisionBits)) : 0.5 + (k * (1 << PrecisionBits)));
            }

            bounds[xx] = (xmin, xmax);
        }

        return (bounds, taps, ksize);
    }
}
