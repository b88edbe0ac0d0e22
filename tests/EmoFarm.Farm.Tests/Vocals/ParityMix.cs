namespace EmoFarm.Farm.Tests.Vocals;

/// <summary>
/// tests/parity/mdx_reference.py's mix_samples, line for line: integer arithmetic only, so both sides make the same
/// int16 samples without the fixture storing them (the fixture records their MD5).
/// </summary>
internal static class ParityMix
{
    public const int SampleRate = 44_100;

    /// <summary>[n, 2] interleaved int16.</summary>
    public static short[] Interleaved(int n)
    {
        var samples = new short[2 * n];
        var x = 0x2545F491u;
        long[] lp = [0, 0];
        long[] phase = [0, 0x40000000];
        long[] increment = [21424235, 32136353];
        long lfo = 0, slow = 0;
        for (var i = 0; i < n; i++)
        {
            lfo = (lfo + 486963) & 0xFFFFFFFF;
            slow = (slow + 29218) & 0xFFFFFFFF;
            var vib = Sine(lfo);
            var env = 13000 + (Sine(slow) >> 3);
            for (var c = 0; c < 2; c++)
            {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                var noise = (long)(x >> 16) - 32768;
                lp[c] += (noise - lp[c]) >> 2;
                phase[c] = (phase[c] + increment[c] + ((vib * (c + 3)) >> 4)) & 0xFFFFFFFF;
                var p = phase[c];
                var tone = Sine(p) + (Sine((2 * p) & 0xFFFFFFFF) >> 1) + (Sine((3 * p) & 0xFFFFFFFF) >> 2);
                var s = ((tone * env) >> 15) + (lp[c] >> 2) + (noise >> 5);
                samples[2 * i + c] = (short)Math.Clamp(s, short.MinValue, short.MaxValue);
            }
        }
        return samples;
    }

    /// <summary>librosa's float32 for int16 samples: x / 32768, one array per channel.</summary>
    public static (float[] Left, float[] Right) Planar(short[] interleaved)
    {
        var n = interleaved.Length / 2;
        float[] left = new float[n], right = new float[n];
        for (var i = 0; i < n; i++)
        {
            left[i] = interleaved[2 * i] / 32768f;
            right[i] = interleaved[2 * i + 1] / 32768f;
        }
        return (left, right);
    }

    private static long Sine(long phase)
    {
        var t = (phase >> 16) - 32768;
        return (t * (32768 - Math.Abs(t))) >> 13;
    }
}
