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
        var (from, to, lead) = Window(audio.Length, firstFrame, frameCount, fps, contextSeconds);
        return (Media.AudioDecoder.ToBytes(audio.AsSpan((int)from, (int)(to - from))), lead);
    }

    /// <summary>The same bytes as <see cref="Slice"/> on the whole track, read from the file: only the window is in memory.</summary>
    public static async Task<(byte[] Bytes, int LeadSamples)> SliceAsync(
        Media.PcmFile track, int firstFrame, int frameCount, int fps, double contextSeconds, CancellationToken ct)
    {
        var (from, to, lead) = Window(track.SampleCount, firstFrame, frameCount, fps, contextSeconds);
        return (await track.ReadBytesAsync(from, (int)(to - from), ct), lead);
    }

    /// <summary>Samples of context before the first frame: what <see cref="Slice"/> puts ahead of it.</summary>
    public static int LeadSamples(int firstFrame, int fps, double contextSeconds) =>
        (int)(SampleAt(firstFrame, fps) - SampleAt(Math.Max(0, firstFrame - ContextFrames(contextSeconds, fps)), fps));

    /// <summary>The slice's samples [From, To) of a track of <paramref name="length"/>, and where its first frame starts in it.</summary>
    private static (long From, long To, int Lead) Window(long length, int firstFrame, int frameCount, int fps, double contextSeconds)
    {
        var context = ContextFrames(contextSeconds, fps);
        var begin = SampleAt(firstFrame, fps);
        var from = SampleAt(Math.Max(0, firstFrame - context), fps);
        var to = Math.Max(from, Math.Min(length, SampleAt(firstFrame + frameCount + context, fps)));
        return (from, to, (int)(begin - from));
    }

    /// <summary>The context rounded up to whole frames.</summary>
    private static int ContextFrames(double contextSeconds, int fps) => (int)Math.Ceiling((contextSeconds * fps) - 1e-9);

    private static long SampleAt(long frame, int fps) => frame * Rate / fps;
}
