namespace EmoFarm.Faces.Masks;

/// <summary>
/// A box as Hallo's <c>expand_region</c> returns it, in whole pixels: columns [MinX, MaxX), rows [MinY, MaxY).
/// MinX or MinY can be negative when the expanded box is larger than the image; Hallo then slices its mask with
/// NumPy, which counts a negative start from the far edge (see <see cref="ColumnSpan"/>).
/// </summary>
public readonly record struct MaskRegion(int MinX, int MaxX, int MinY, int MaxY)
{
    /// <summary>The columns <c>mask[:, MinX:MaxX]</c> covers in an image <paramref name="width"/> wide: [start, end).</summary>
    public (int Start, int End) ColumnSpan(int width) => NumPySlice(MinX, MaxX, width);

    /// <summary>The rows <c>mask[MinY:MaxY]</c> covers in an image <paramref name="height"/> high: [start, end).</summary>
    public (int Start, int End) RowSpan(int height) => NumPySlice(MinY, MaxY, height);

    // Python's slice.indices for a step of 1: a negative bound counts from the end, then both are clamped.
    private static (int Start, int End) NumPySlice(int start, int stop, int length)
    {
        static int Bound(int v, int length) => v < 0 ? Math.Max(0, v + length) : Math.Min(v, length);
        var s = Bound(start, length);
        var e = Bound(stop, length);
        return (s, Math.Max(s, e));
    }
}
