using System.Buffers.Binary;

namespace EmoFarm.Farm.Media;

/// <summary>
/// Width and height from the first bytes of a PNG, JPEG or WebP file. ffprobe decodes a PNG to learn its size, so it
/// reports 0x0 for a truncated file and cannot refuse a 20000x20000 one before the decoder runs.
/// </summary>
public static class ImageHeader
{
    /// <summary>Null when the header is not one of the three formats or is cut short.</summary>
    public static (int Width, int Height)? ReadSize(ReadOnlySpan<byte> head) => ImageDecoder.Sniff(head) switch
    {
        "png" when head.Length >= 24 && head.Slice(12, 4).SequenceEqual("IHDR"u8) =>
            (BinaryPrimitives.ReadInt32BigEndian(head[16..]), BinaryPrimitives.ReadInt32BigEndian(head[20..])),
        "jpeg" => Jpeg(head),
        "webp" => WebP(head),
        _ => null,
    };

    private static (int, int)? Jpeg(ReadOnlySpan<byte> data)
    {
        var pos = 2;
        while (pos + 9 < data.Length)
        {
            if (data[pos] != 0xFF)
                return null;
            var marker = data[pos + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 2)..]);
            // SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
                return (BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 5)..]));
            pos += 2 + length;
        }
        return null;
    }

    private static (int, int)? WebP(ReadOnlySpan<byte> data)
    {
        if (data.Length < 30)
            return null;
        var chunk = data.Slice(12, 4);
        if (chunk.SequenceEqual("VP8 "u8))
            return (BinaryPrimitives.ReadUInt16LittleEndian(data[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(data[28..]) & 0x3FFF);
        if (chunk.SequenceEqual("VP8L"u8))
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[21..]);
            return ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }
        if (chunk.SequenceEqual("VP8X"u8))
            return (1 + (data[24] | data[25] << 8 | data[26] << 16), 1 + (data[27] | data[28] << 8 | data[29] << 16));
        return null;
    }
}
