using EmoFarm.Faces.Landmarks;

namespace EmoFarm.Faces.Masks;

/// <summary>Hallo's lip and face boxes (<c>get_lip_mask</c>, <c>get_face_mask</c>, <c>expand_region</c>) in its own arithmetic.</summary>
internal static class HalloRegion
{
    /// <summary>MediaPipe face-mesh indices of the face oval (Hallo's <c>silhouette_ids</c>).</summary>
    public static readonly int[] SilhouetteIds =
    [
        10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288,
        397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136,
        172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
    ];

    /// <summary>MediaPipe face-mesh indices of the outer lips (Hallo's <c>lip_ids</c>).</summary>
    public static readonly int[] LipIds = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 146, 91, 181, 84, 17, 314, 405, 321, 375];

    /// <summary>
    /// np.round of the points' min and max (ties to even), then expand_region. Everything stays float64 as in
    /// NumPy: the centre is (max + min) // 2 and the half side (max − min)·ratio // 2, both floored; the box is
    /// shifted back inside where it pokes out, one side at a time, so a box larger than the image ends up with a
    /// negative minimum.
    /// </summary>
    public static MaskRegion Expand(IReadOnlyList<FacePoint> landmarks, int[] ids, int width, int height, double ratio)
    {
        double minX = double.PositiveInfinity, maxX = double.NegativeInfinity;
        double minY = double.PositiveInfinity, maxY = double.NegativeInfinity;
        foreach (var id in ids)
        {
            var p = landmarks[id];
            (minX, maxX) = (Math.Min(minX, p.X), Math.Max(maxX, p.X));
            (minY, maxY) = (Math.Min(minY, p.Y), Math.Max(maxY, p.Y));
        }

        var (x0, x1) = Axis(Math.Round(minX, MidpointRounding.ToEven), Math.Round(maxX, MidpointRounding.ToEven), width, ratio);
        var (y0, y1) = Axis(Math.Round(minY, MidpointRounding.ToEven), Math.Round(maxY, MidpointRounding.ToEven), height, ratio);
        return new MaskRegion(x0, x1, y0, y1);
    }

    /// <summary>The mask Hallo writes: zeros, and 255 in <c>mask[min_y:max_y, min_x:max_x]</c> (NumPy slicing).</summary>
    public static GrayImage Render(MaskRegion region, int width, int height)
    {
        var pixels = new byte[width * height];
        var (c0, c1) = region.ColumnSpan(width);
        var (r0, r1) = region.RowSpan(height);
        for (var y = r0; y < r1; y++)
            pixels.AsSpan((y * width) + c0, c1 - c0).Fill(255);
        return new GrayImage(width, height, pixels);
    }

    private static (int Min, int Max) Axis(double min, double max, int size, double ratio)
    {
        var mid = Math.Floor((max + min) / 2);
        var half = Math.Floor((max - min) * ratio / 2);
        var lo = mid - half;
        var hi = mid + half;
        if (lo < 0)
        {
            hi -= lo;
            lo = 0;
        }

        if (hi > size)
        {
            lo -= hi - size;
            hi = size;
        }

        // Python's round() on these whole numbers; ties to even as round() does, should one ever not be whole.
        return ((int)Math.Round(lo, MidpointRounding.ToEven), (int)Math.Round(hi, MidpointRounding.ToEven));
    }
}
