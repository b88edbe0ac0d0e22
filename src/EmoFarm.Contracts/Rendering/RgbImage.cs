namespace EmoFarm.Contracts.Rendering;

/// <summary>An 8-bit RGB image, rows top to bottom, no padding.</summary>
public sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    public static RgbImage Blank(int width, int height) => new(width, height, new byte[width * height * 3]);
}
