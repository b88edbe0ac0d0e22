using EmoFarm.Contracts.Rendering;

namespace EmoFarm.Faces.Tests;

/// <summary>Small pixel operations to build test sequences from real photographs.</summary>
internal static class TestImages
{
    /// <summary>Bilinear crop of <paramref name="crop"/> scaled to <paramref name="size"/>², shifted by (dx, dy) source pixels.</summary>
    public static RgbImage CropResize(RgbImage source, FaceBox crop, int size, double dx = 0, double dy = 0)
    {
        var result = new byte[size * size * 3];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var sx = crop.X + dx + ((x + 0.5) * crop.Width / size) - 0.5;
                var sy = crop.Y + dy + ((y + 0.5) * crop.Height / size) - 0.5;
                for (var c = 0; c < 3; c++)
                    result[(((y * size) + x) * 3) + c] = Sample(source, sx, sy, c);
            }
        }

        return new RgbImage(size, size, result);
    }

    /// <summary>
    /// A copy with the mouth opened by <paramref name="opening"/> pixels: below the lips' meeting line the face
    /// drops like a jaw (most at the centre, fading to nothing at ±<paramref name="halfWidth"/>), and the gap
    /// it leaves is dark like the inside of a mouth.
    /// </summary>
    public static RgbImage OpenMouth(RgbImage image, double centreX, double centreY, double halfWidth, double opening)
    {
        var pixels = (byte[])image.Pixels.Clone();
        for (var x = Math.Max(0, (int)(centreX - halfWidth)); x <= Math.Min(image.Width - 1, (int)(centreX + halfWidth)); x++)
        {
            var u = (x - centreX) / halfWidth;
            var drop = opening * Math.Sqrt(Math.Max(0, 1 - (u * u)));
            if (drop < 0.5) continue;
            for (var y = Math.Max(0, (int)centreY); y < image.Height; y++)
            {
                var i = ((y * image.Width) + x) * 3;
                if (y < centreY + drop)
                {
                    (pixels[i], pixels[i + 1], pixels[i + 2]) = ((byte)45, (byte)12, (byte)18);
                    continue;
                }

                for (var c = 0; c < 3; c++)
                    pixels[i + c] = Sample(image, x, y - drop, c);
            }
        }

        return image with { Pixels = pixels };
    }

    /// <summary>
    /// A copy turned clockwise (as seen, y down) by <paramref name="angle"/> radians about (cx, cy), bilinear, black
    /// where the turn brings in nothing.
    /// </summary>
    public static RgbImage Rotate(RgbImage image, double cx, double cy, double angle)
    {
        var pixels = new byte[image.Pixels.Length];
        var (cos, sin) = (Math.Cos(angle), Math.Sin(angle));
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                // The output pixel shows the source point turned back by the angle.
                var (dx, dy) = (x - cx, y - cy);
                var sx = cx + (dx * cos) + (dy * sin);
                var sy = cy - (dx * sin) + (dy * cos);
                if (sx < 0 || sy < 0 || sx > image.Width - 1 || sy > image.Height - 1) continue;
                for (var c = 0; c < 3; c++)
                    pixels[(((y * image.Width) + x) * 3) + c] = Sample(image, sx, sy, c);
            }
        }

        return image with { Pixels = pixels };
    }

    private static byte Sample(RgbImage image, double x, double y, int channel)
    {
        x = Math.Clamp(x, 0, image.Width - 1);
        y = Math.Clamp(y, 0, image.Height - 1);
        var (x0, y0) = ((int)Math.Floor(x), (int)Math.Floor(y));
        var (x1, y1) = (Math.Min(x0 + 1, image.Width - 1), Math.Min(y0 + 1, image.Height - 1));
        var (fx, fy) = (x - x0, y - y0);
        double P(int px, int py) => image.Pixels[(((py * image.Width) + px) * 3) + channel];
        var top = P(x0, y0) + ((P(x1, y0) - P(x0, y0)) * fx);
        var bottom = P(x0, y1) + ((P(x1, y1) - P(x0, y1)) * fx);
        return (byte)Math.Round(Math.Clamp(top + ((bottom - top) * fy), 0, 255));
    }
}
