using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace EmoFarm.Farm.Tests.Corpus;

/// <summary>Mutations that know the image formats: headers that lie about the size, and decompression bombs.</summary>
internal static class ImageMutator
{
    /// <summary>The file with its header's width and height rewritten (PNG's IHDR keeps a valid CRC, so only the size lies).</summary>
    public static byte[] WithSize(byte[] file, string format, int width, int height)
    {
        var copy = (byte[])file.Clone();
        var span = copy.AsSpan();
        switch (format)
        {
            case "png":
                BinaryPrimitives.WriteInt32BigEndian(span[16..], width);
                BinaryPrimitives.WriteInt32BigEndian(span[20..], height);
                BinaryPrimitives.WriteUInt32BigEndian(span[29..], Crc32.HashToUInt32(span[12..29]));
                break;
            case "jpg":
                var sof = JpegFrameHeader(copy);
                BinaryPrimitives.WriteUInt16BigEndian(span[(sof + 5)..], checked((ushort)height));
                BinaryPrimitives.WriteUInt16BigEndian(span[(sof + 7)..], checked((ushort)width));
                break;
            case "webp" when span.Slice(12, 4).SequenceEqual("VP8 "u8):
                // 14 bits each; the two scale bits above stay as they were.
                BinaryPrimitives.WriteUInt16LittleEndian(span[26..], (ushort)((BinaryPrimitives.ReadUInt16LittleEndian(span[26..]) & 0xC000) | (width & 0x3FFF)));
                BinaryPrimitives.WriteUInt16LittleEndian(span[28..], (ushort)((BinaryPrimitives.ReadUInt16LittleEndian(span[28..]) & 0xC000) | (height & 0x3FFF)));
                break;
            default:
                throw new ArgumentException($"cannot rewrite the size of a {format} seed (first chunk {System.Text.Encoding.ASCII.GetString(copy, 12, 4)})", nameof(format));
        }
        return copy;
    }

    /// <summary>The largest side a header of this format can state.</summary>
    public static int MaxStatedSide(string format) => format == "webp" ? 16_383 : 65_535;

    /// <summary>
    /// A valid grayscale PNG of zeros, <paramref name="side"/> pixels square: a few hundred kilobytes that inflate to
    /// side² bytes (64 MiB at 8192).
    /// </summary>
    public static byte[] DecompressionBomb(int side)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, side);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), side);
        ihdr[8] = 8; // bit depth; colour type 0 (grey), deflate, no filter, no interlace
        Chunk(png, "IHDR", ihdr);
        using var data = new MemoryStream();
        using (var z = new ZLibStream(data, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[side + 1];
            for (var y = 0; y < side; y++)
                z.Write(row);
        }
        Chunk(png, "IDAT", data.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static int JpegFrameHeader(byte[] data)
    {
        for (var pos = 2; pos + 9 < data.Length; pos += 2 + BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(pos + 2)))
        {
            if (data[pos + 1] is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
                return pos;
        }

        throw new ArgumentException("the JPEG seed has no frame header");
    }

    /// <summary>Writes one PNG chunk: length, type, data and the CRC over type and data.</summary>
    internal static void Chunk(Stream output, string type, byte[] data)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, header.AsSpan(4));
        output.Write(header);
        output.Write(data);
        var crc = new Crc32();
        crc.Append(header.AsSpan(4));
        crc.Append(data);
        var sum = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(sum, crc.GetCurrentHashAsUInt32());
        output.Write(sum);
    }
}
