namespace EmoFarm.Faces.Masks;

/// <summary>An 8-bit single-channel image, row-major (x right, y down), as OpenCV and PIL hold a grayscale mask.</summary>
public sealed record GrayImage
{
    public GrayImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != (long)width * height)
            throw new ArgumentException($"pixels: {pixels.Length} bytes for a {width}×{height} image, expected {(long)width * height}", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Width × Height bytes, row after row.</summary>
    public byte[] Pixels { get; }

    public byte this[int x, int y] => Pixels[(y * Width) + x];
}
