using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using EmoFarm.Contracts.Rendering;

namespace EmoFarm.Farm.Media;

/// <summary>
/// Lossless 8-bit RGB PNG for frames in flight between workers and the orchestrator. It reads any non-interlaced
/// 8-bit RGB/RGBA PNG, which covers everything the farm writes; ffmpeg handles every other image.
/// </summary>
public static class PngCodec
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Encode(RgbImage image, CompressionLevel level = CompressionLevel.Fastest)
    {
        var stride = image.Width * 3;
        using var output = new MemoryStream();
        output.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        WriteChunk(output, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
        {
            // The "Sub" filter costs one subtraction a byte and roughly halves the size of smooth images.
            var row = new byte[stride + 1];
            row[0] = 1;
            for (var y = 0; y < image.Height; y++)
            {
                var src = image.Pixels.AsSpan(y * stride, stride);
                src[..3].CopyTo(row.AsSpan(1));
                for (var x = 3; x < stride; x++)
                    row[x + 1] = (byte)(src[x] - src[x - 3]);
                zlib.Write(row);
            }
        }
        WriteChunk(output, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    public static RgbImage Decode(ReadOnlySpan<byte> png)
    {
        if (png.Length < 8 || !png[..8].SequenceEqual(Signature))
            throw new InvalidDataException("not a PNG");
        int width = 0, height = 0, channels = 0, pos = 8;
        using var idat = new MemoryStream();
        while (pos + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png[pos..]);
            var type = System.Text.Encoding.ASCII.GetString(png.Slice(pos + 4, 4));
            if (length < 0 || pos + 12 + length > png.Length)
                throw new InvalidDataException("truncated PNG chunk");
            var data = png.Slice(pos + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[12] != 0 || (data[9] != 2 && data[9] != 6))
                    throw new InvalidDataException("only 8-bit non-interlaced RGB/RGBA PNGs are supported here");
                channels = data[9] == 2 ? 3 : 4;
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            else if (type == "IEND")
            {
                break;
            }
            pos += 12 + length;
        }
        if (channels == 0)
            throw new InvalidDataException("PNG has no IHDR");

        var stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        idat.Position = 0;
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
            zlib.ReadExactly(raw);
        var pixels = new byte[width * height * 3];
        var previous = new byte[stride];
        var current = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var line = raw.AsSpan(y * (stride + 1), stride + 1);
            Unfilter(line[0], line[1..], previous, current, channels);
            for (int x = 0, o = y * width * 3; x < width; x++, o += 3)
                current.AsSpan(x * channels, 3).CopyTo(pixels.AsSpan(o));
            (previous, current) = (current, previous);
        }
        return new RgbImage(width, height, pixels);
    }

    private static void Unfilter(byte filter, ReadOnlySpan<byte> line, ReadOnlySpan<byte> up, Span<byte> output, int bpp)
    {
        for (var x = 0; x < line.Length; x++)
        {
            int a = x >= bpp ? output[x - bpp] : 0, b = up[x], c = x >= bpp ? up[x - bpp] : 0;
            output[x] = (byte)(line[x] + filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => Paeth(a, b, c),
                _ => throw new InvalidDataException($"unknown PNG filter {filter}"),
            });
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, buffer[4..]);
        output.Write(buffer);
        output.Write(data);
        var crc = new Crc32();
        crc.Append(buffer[4..]);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(buffer, crc.GetCurrentHashAsUInt32());
        output.Write(buffer[..4]);
    }
}
