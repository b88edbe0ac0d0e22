namespace EmoFarm.Contracts.Rendering;

/// <param name="ClipIndex">Index of the clip inside its segment; with the segment's seed it fixes the noise.</param>
/// <param name="FirstFrame">Segment-relative first frame.</param>
public sealed record ClipRequest(int ClipIndex, int FirstFrame, int FrameCount);
