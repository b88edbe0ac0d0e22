using System.Buffers.Binary;
using System.IO.Compression;
using EmoFarm.Faces.Masks;

namespace EmoFarm.Faces.Tests.Masks;

/// <summary>
/// Reads the 8-bit grayscale PNGs that cv2.imwrite wrote into the Hallo mask fixture (non-interlaced, any of
/// PNG's five row filters). Anything else is refused with the reason, not guessed at.
/// </summary>
internal static class GrayPng
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static GrayImage Read(string path)
    {
        var png = File.ReadAllBytes(path);
        if (!png.AsSpan(0, 8).SequenceEqual(Signature))
            throw new InvalidDataException($"{path}: not a PNG");
        int width = 0, height = 0;
        using var idat = new MemoryStream();
        for (var pos = 8; pos < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[9] != 0 || data[12] != 0)
                    throw new InvalidDataException($"{path}: bit depth {data[8]}, colour type {data[9]}, interlace {data[12]}; only 8-bit grayscale, non-interlaced, is read");
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            pos += 12 + length;
        }

        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new byte[(width + 1) * height];
        z.ReadExactly(raw);
        return new GrayImage(width, height, Unfilter(raw, width, height, path));
    }

    private static byte[] Unfilter(byte[] raw, int width, int height, string path)
    {
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (width + 1)];
            var src = raw.AsSpan((y * (width + 1)) + 1, width);
            var row = pixels.AsSpan(y * width, width);
            var up = y > 0 ? pixels.AsSpan((y - 1) * width, width) : new byte[width];
            for (var x = 0; x < width; x++)
            {
                int a = x > 0 ? row[x - 1] : 0, b = up[x], c = x > 0 ? up[x - 1] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"{path}: row {y} has filter {filter}"),
                };
                row[x] = (byte)(src[x] + predictor);
            }
        }

        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
