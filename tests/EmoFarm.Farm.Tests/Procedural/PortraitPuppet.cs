using EmoFarm.Contracts.Rendering;

namespace EmoFarm.Farm.Tests.Procedural;

/// <summary>
/// Pixel operations that move a real portrait like a puppet: the whole picture shifted by a sub-pixel offset (the
/// head), and the mouth opened by a jaw drop with a dark gap (the lips). face-api's nets see a photograph, so they
/// find the face, its 68 points and its identity in every frame, which a cartoon would not guarantee.
/// </summary>
internal static class PortraitPuppet
{
    /// <summary>The colour of the inside of the mouth.</summary>
    private static readonly (byte R, byte G, byte B) Gap = (45, 12, 18);

    /// <summary>A copy moved right by <paramref name="dx"/> and down by <paramref name="dy"/> pixels, bilinear, the
    /// border repeated where the move brings in nothing.</summary>
    public static RgbImage Shift(RgbImage image, double dx, double dy)
    {
        var pixels = new byte[image.Pixels.Length];
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var i = ((y * image.Width) + x) * 3;
                for (var c = 0; c < 3; c++)
                    pixels[i + c] = Sample(image, x - dx, y - dy, c);
            }
        }

        return image with { Pixels = pixels };
    }

    /// <summary>
    /// A copy with the mouth opened by <paramref name="opening"/> pixels: below the lips' meeting line at
    /// (<paramref name="centreX"/>, <paramref name="centreY"/>) the face drops like a jaw, most at the centre and
    /// fading to nothing at ±<paramref name="halfWidth"/>, and the gap it leaves is dark.
    /// </summary>
    public static RgbImage OpenMouth(RgbImage image, double centreX, double centreY, double halfWidth, double opening)
    {
        if (opening <= 0)
            return image;
        var pixels = (byte[])image.Pixels.Clone();
        for (var x = Math.Max(0, (int)Math.Ceiling(centreX - halfWidth)); x <= Math.Min(image.Width - 1, (int)(centreX + halfWidth)); x++)
        {
            var u = (x - centreX) / halfWidth;
            var drop = opening * Math.Sqrt(Math.Max(0, 1 - (u * u)));
            if (drop < 0.25)
                continue;
            for (var y = Math.Max(0, (int)Math.Ceiling(centreY)); y < image.Height; y++)
            {
                var i = ((y * image.Width) + x) * 3;
                if (y < centreY + drop)
                {
                    (pixels[i], pixels[i + 1], pixels[i + 2]) = Gap;
                    continue;
                }

                for (var c = 0; c < 3; c++)
                    pixels[i + c] = Sample(image, x, y - drop, c);
            }
        }

        return image with { Pixels = pixels };
    }

    private static byte Sample(RgbImage image, double x, double y, int channel)
    {
        x = Math.Clamp(x, 0, image.Width - 1);
        y = Math.Clamp(y, 0, image.Height - 1);
        var (x0, y0) = ((int)x, (int)y);
        var (x1, y1) = (Math.Min(x0 + 1, image.Width - 1), Math.Min(y0 + 1, image.Height - 1));
        var (fx, fy) = (x - x0, y - y0);
        double At(int px, int py) => image.Pixels[(((py * image.Width) + px) * 3) + channel];
        var top = At(x0, y0) + ((At(x1, y0) - At(x0, y0)) * fx);
        var bottom = At(x0, y1) + ((At(x1, y1) - At(x0, y1)) * fx);
        return (byte)Math.Clamp(Math.Round(top + ((bottom - top) * fy)), 0, 255);
    }
}
