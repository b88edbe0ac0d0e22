namespace EmoFarm.Farm.Media;

/// <summary>Cuts the 16 kHz samples a segment needs: its own frames plus context on both sides.</summary>
/// <remarks>
/// The context is a whole number of frames, so a slice starts on the frame grid. The worker encodes the slice and
/// finds the segment's first frame at a whole feature frame; a lead of 12.5 frames (0.5 s at 25 fps) put every
/// feature half a frame off the whole track's, which the Hallo parity fixture measured at 4.5 in wav2vec2 units.
/// </remarks>
public static class AudioSlicer
{
    private const int Rate = Media.AudioDecoder.SampleRate;

    public static (byte[] Bytes, int LeadSamples) Slice(float[] audio, int firstFrame, int frameCount, int fps, double contextSeconds)
    {
        var context = ContextFrames(contextSeconds, fps);
        var begin = SampleAt(firstFrame, fps);
        var from = SampleAt(Math.Max(0, firstFrame - context), fps);
        var to = (int)Math.Min(audio.Length, SampleAt(firstFrame + frameCount + context, fps));
        return (Media.AudioDecoder.ToBytes(audio.AsSpan((int)from, (int)Math.Max(0, to - from))), (int)(begin - from));
    }

    /// <summary>Samples of context before the first frame: what <see cref="Slice"/> puts ahead of it.</summary>
    public static int LeadSamples(int firstFrame, int fps, double contextSeconds) =>
        (int)(SampleAt(firstFrame, fps) - SampleAt(Math.Max(0, firstFrame - ContextFrames(contextSeconds, fps)), fps));

    /// <summary>The context rounded up to whole frames.</summary>
    private static int ContextFrames(double contextSeconds, int fps) => (int)Math.Ceiling((contextSeconds * fps) - 1e-9);

    private static long SampleAt(long frame, int fps) => frame * Rate / fps;
}
