namespace EmoFarm.Farm.Submission;

/// <summary>Cuts the 16 kHz samples a segment needs: its own frames plus context on both sides.</summary>
public static class AudioSlicer
{
    public static (byte[] Bytes, int LeadSamples) Slice(float[] audio, int firstFrame, int frameCount, int fps, double contextSeconds)
    {
        const int rate = Media.AudioDecoder.SampleRate;
        var context = (int)(contextSeconds * rate);
        var begin = (int)((long)firstFrame * rate / fps);
        var end = (int)Math.Min(audio.Length, (long)(firstFrame + frameCount) * rate / fps);
        var from = Math.Max(0, begin - context);
        var to = Math.Min(audio.Length, end + context);
        return (Media.AudioDecoder.ToBytes(audio.AsSpan(from, Math.Max(0, to - from))), begin - from);
    }

    /// <summary>Samples of context before the first frame: what <see cref="Slice"/> puts ahead of it.</summary>
    public static int LeadSamples(int firstFrame, int fps, double contextSeconds) =>
        (int)Math.Min((long)firstFrame * Media.AudioDecoder.SampleRate / fps, (int)(contextSeconds * Media.AudioDecoder.SampleRate));
}
