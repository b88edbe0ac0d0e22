namespace EmoFarm.Faces;

/// <summary>An axis-aligned box in image pixels (x right, y down; the origin is the top-left corner).</summary>
public readonly record struct FaceBox(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;

    public double Bottom => Y + Height;

    public double CentreX => X + (Width / 2);

    public double CentreY => Y + (Height / 2);

    public double Area => Math.Max(0, Width) * Math.Max(0, Height);

    /// <summary>Intersection over union; 0 for disjoint boxes.</summary>
    public double IoU(FaceBox other)
    {
        var w = Math.Min(Right, other.Right) - Math.Max(X, other.X);
        var h = Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y);
        if (w <= 0 || h <= 0) return 0;
        var intersection = w * h;
        return intersection / (Area + other.Area - intersection);
    }

    /// <summary>
    /// The part inside a <paramref name="width"/>×<paramref name="height"/> image, with every edge floored to whole
    /// pixels, as face-api's <c>Box.clipAtImageBorders</c> does before it crops a face.
    /// </summary>
    public FaceBox ClipToImage(int width, int height)
    {
        var x = Math.Max(X, 0);
        var y = Math.Max(Y, 0);
        var w = Math.Min(Right - x, width - x);
        var h = Math.Min(Bottom - y, height - y);
        return new FaceBox(Math.Floor(x), Math.Floor(y), Math.Floor(w), Math.Floor(h));
    }

    public override string ToString() => $"({X:0.#}, {Y:0.#}) {Width:0.#}×{Height:0.#}";
}
