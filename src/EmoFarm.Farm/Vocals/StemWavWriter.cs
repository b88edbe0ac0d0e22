namespace EmoFarm.Farm.Vocals;

/// <summary>
/// audio-separator's CommonSeparator.write_audio for WAV output: normalise to a 0.9 peak once more, refuse a
/// near-silent stem (peak below 1e-6, where it writes nothing), float32 × 32767 truncated to int16, interleaved, and
/// pydub's AudioSegment.export(format="wav"), which is Python's wave module: a 44-byte header, 44.1 kHz, 2 channels.
/// </summary>
public static class StemWavWriter
{
    /// <summary>The bytes of the file audio-separator writes for this stem. The stem itself is not changed.</summary>
    public static byte[] ToWav(VocalStem stem)
    {
        ArgumentNullException.ThrowIfNull(stem);
        float[] left = (float[])stem.Left.Clone(), right = (float[])stem.Right.Clone();
        UvrWave.Normalize(left, right, VocalSeparator.NormalizationThreshold);
        if (Math.Max(UvrWave.Peak(left), UvrWave.Peak(right)) < 1e-6)
        {
            throw new InvalidOperationException(
                "the vocal stem is near-silent (peak below 1e-6): audio-separator writes no file for it, and Hallo's " +
                "resample_audio then fails");
        }
        var interleaved = new short[2 * stem.Samples];
        for (var i = 0; i < stem.Samples; i++)
        {
            // numpy's astype(int16) truncates toward zero, as a C# cast does.
            interleaved[2 * i] = (short)(left[i] * 32767f);
            interleaved[2 * i + 1] = (short)(right[i] * 32767f);
        }
        return PcmWav.Write(interleaved, 2, VocalSeparator.SampleRate);
    }
}
