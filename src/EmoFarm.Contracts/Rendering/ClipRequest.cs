namespace EmoFarm.Contracts.Rendering;

/// <param name="ClipIndex">Index of the clip inside its segment; with the segment's seed it fixes the noise.</param>
/// <param name="FirstFrame">Segment-relative first frame.</param>
public sealed record ClipRequest(int ClipIndex, int FirstFrame, int FrameCount)
{
    /// <summary>
    /// The previous clip's <see cref="ClipOutput.Latents"/>, when this session did not render that clip itself (a
    /// segment resumed by another attempt). A renderer that conditions on more than the motion frames' bytes rebuilds
    /// its exact state from them, so a resumed segment renders what an uninterrupted one would. Empty otherwise.
    /// </summary>
    public ReadOnlyMemory<byte> PreviousLatents { get; init; }
}
