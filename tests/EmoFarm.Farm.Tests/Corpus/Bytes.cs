namespace EmoFarm.Farm.Tests.Corpus;

/// <summary>Format-blind mutations: cuts, bit flips, concatenation.</summary>
internal static class Bytes
{
    /// <summary>Flips <paramref name="count"/> random bits at or after <paramref name="from"/> (and before <paramref name="to"/>).</summary>
    public static byte[] FlipBits(byte[] data, Random rng, int count, int from = 0, int? to = null)
    {
        var copy = (byte[])data.Clone();
        var end = Math.Min(to ?? copy.Length, copy.Length);
        for (var i = 0; i < count; i++)
            copy[rng.Next(from, end)] ^= (byte)(1 << rng.Next(8));
        return copy;
    }

    /// <summary>The first fraction of the file, somewhere between <paramref name="min"/> and <paramref name="max"/> of it.</summary>
    public static byte[] Truncate(byte[] data, Random rng, double min, double max) =>
        data[..(int)(data.Length * (min + rng.NextDouble() * (max - min)))];

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>Random bytes: nothing any decoder should accept.</summary>
    public static byte[] Noise(Random rng, int length)
    {
        var data = new byte[length];
        rng.NextBytes(data);
        return data;
    }
}
