namespace EmoFarm.Contracts;

/// <summary>A worker stored every frame of one more clip of a segment.</summary>
public sealed record SegmentProgressed(string RenderId, int SegmentIndex, int FramesDone, int FrameCount, string Worker);
