using System.Buffers.Binary;

namespace EmoFarm.Farm.Tests.Corpus;

/// <summary>Mutations that know the audio containers: durations and rates that lie, and tracks cut too short.</summary>
internal static class AudioMutator
{
    /// <summary>
    /// A WAV whose 'fmt ' chunk says 1 Hz and 2 bytes a second: the same bytes then last 2,400 times longer (hours
    /// for a second of speech), and a decoder asked for 16 kHz would make 16,000 samples of each.
    /// </summary>
    public static byte[] WavAtOneHertz(byte[] wav)
    {
        var copy = (byte[])wav.Clone();
        var fmt = Chunk(copy, "fmt ");
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(fmt + 12), 1);
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(fmt + 16), 2);
        return copy;
    }

    /// <summary>A consistent WAV with only <paramref name="seconds"/> of its samples.</summary>
    public static byte[] WavCut(byte[] wav, double seconds)
    {
        var data = Chunk(wav, "data");
        var fmt = Chunk(wav, "fmt ");
        var bytesPerSecond = BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(fmt + 16));
        var blockAlign = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(fmt + 20));
        var keep = (int)(seconds * bytesPerSecond) / blockAlign * blockAlign;
        var copy = wav[..(data + 8 + keep)];
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(data + 4), keep);
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(4), copy.Length - 8);
        return copy;
    }

    /// <summary>A WAV whose data chunk claims <paramref name="size"/> bytes (0xFFFFFFFF is how streamed WAVs say "unknown").</summary>
    public static byte[] WavDataSize(byte[] wav, uint size)
    {
        var copy = (byte[])wav.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(Chunk(copy, "data") + 4), size);
        return copy;
    }

    /// <summary>A WAV whose 'fmt ' chunk states <paramref name="channels"/> channels.</summary>
    public static byte[] WavChannels(byte[] wav, ushort channels)
    {
        var copy = (byte[])wav.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(Chunk(copy, "fmt ") + 10), channels);
        return copy;
    }

    /// <summary>A FLAC whose STREAMINFO states <paramref name="samples"/> samples in all (36 bits; 0 means unknown).</summary>
    public static byte[] FlacTotalSamples(byte[] flac, long samples)
    {
        if (!flac.AsSpan(0, 4).SequenceEqual("fLaC"u8) || (flac[4] & 0x7F) != 0)
            throw new ArgumentException("the FLAC seed does not start with STREAMINFO", nameof(flac));
        var copy = (byte[])flac.Clone();
        // STREAMINFO starts at 8; the total is the low 4 bits of byte 8+13 and the 4 bytes after it.
        var at = 8 + 13;
        copy[at] = (byte)((copy[at] & 0xF0) | (int)((samples >> 32) & 0x0F));
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(at + 1), (uint)samples);
        return copy;
    }

    /// <summary>An M4A whose movie header states <paramref name="duration"/> in its own time scale.</summary>
    public static byte[] M4aDuration(byte[] m4a, uint duration)
    {
        var copy = (byte[])m4a.Clone();
        var mvhd = copy.AsSpan().IndexOf("mvhd"u8);
        if (mvhd < 0 || copy[mvhd + 4] != 0)
            throw new ArgumentException("the M4A seed has no version-0 mvhd box", nameof(m4a));
        // version/flags (4), creation (4), modification (4), time scale (4), then the duration.
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(mvhd + 4 + 16), duration);
        return copy;
    }

    private static int Chunk(byte[] wav, string id)
    {
        for (var pos = 12; pos + 8 <= wav.Length; pos += 8 + ((BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(pos + 4)) + 1) & ~1))
        {
            if (wav.AsSpan(pos, 4).SequenceEqual(System.Text.Encoding.ASCII.GetBytes(id)))
                return pos;
        }

        throw new ArgumentException($"the WAV seed has no '{id}' chunk", nameof(wav));
    }
}
