namespace EmoFarm.Farm.Vocals;

/// <summary>
/// The separated vocals at 44.1 kHz, one array per channel, as many samples as the mix: audio-separator's
/// primary_source, the demixed stem after compensate and its normalisation to a 0.9 peak, just before write_audio.
/// </summary>
public sealed class VocalStem
{
    public VocalStem(float[] left, float[] right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (left.Length != right.Length)
            throw new ArgumentException($"the left channel has {left.Length} samples and the right {right.Length}", nameof(right));
        Left = left;
        Right = right;
    }

    public float[] Left { get; }

    public float[] Right { get; }

    public int Samples => Left.Length;
}
