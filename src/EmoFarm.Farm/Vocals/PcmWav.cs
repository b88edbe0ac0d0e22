using System.Buffers.Binary;
using System.Text;

namespace EmoFarm.Farm.Vocals;

/// <summary>16-bit PCM WAV as Python's wave module writes it (pydub's export for "wav") and as ffmpeg's wav muxer does.</summary>
internal static class PcmWav
{
    /// <summary>The 44-byte canonical header and interleaved little-endian int16 frames.</summary>
    public static byte[] Write(ReadOnlySpan<short> interleaved, int channels, int sampleRate)
    {
        var dataBytes = interleaved.Length * 2;
        var wav = new byte[44 + dataBytes];
        var s = wav.AsSpan();
        Encoding.ASCII.GetBytes("RIFF", s);
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], 36 + dataBytes);
        Encoding.ASCII.GetBytes("WAVEfmt ", s[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(s[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(s[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(s[22..], (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(s[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(s[28..], sampleRate * channels * 2);
        BinaryPrimitives.WriteInt16LittleEndian(s[32..], (short)(channels * 2));
        BinaryPrimitives.WriteInt16LittleEndian(s[34..], 16);
        Encoding.ASCII.GetBytes("data", s[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(s[40..], dataBytes);
        for (var i = 0; i < interleaved.Length; i++)
            BinaryPrimitives.WriteInt16LittleEndian(s[(44 + 2 * i)..], interleaved[i]);
        return wav;
    }

    /// <summary>The channel count, the rate and the interleaved int16 frames of a 16-bit PCM WAV; other chunks (LIST) are skipped.</summary>
    public static (int Channels, int SampleRate, short[] Frames) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        InvalidDataException Bad(string why) => new($"{path}: {why}");
        if (bytes.Length < 12 || Encoding.ASCII.GetString(bytes, 0, 4) != "RIFF" || Encoding.ASCII.GetString(bytes, 8, 4) != "WAVE")
            throw Bad("not a RIFF WAVE file");
        int channels = 0, rate = 0;
        for (var at = 12; at + 8 <= bytes.Length;)
        {
            var id = Encoding.ASCII.GetString(bytes, at, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 4));
            var body = at + 8;
            if (size < 0 || body + (long)size > bytes.Length)
                throw Bad($"chunk \"{id}\" runs past the end of the file");
            if (id == "fmt ")
            {
                var format = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(body));
                channels = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(body + 2));
                rate = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(body + 4));
                var bits = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(body + 14));
                if ((format != 1 && format != 0xFFFE) || bits != 16)
                    throw Bad($"format {format} with {bits} bits per sample, not 16-bit PCM");
            }
            else if (id == "data")
            {
                if (channels == 0)
                    throw Bad("the data chunk comes before any fmt chunk");
                var frames = new short[size / 2 / channels * channels];
                for (var i = 0; i < frames.Length; i++)
                    frames[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(body + 2 * i));
                return (channels, rate, frames);
            }
            at = body + size + (size & 1);
        }
        throw Bad("no data chunk");
    }
}
