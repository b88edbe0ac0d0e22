namespace EmoFarm.Contracts;

/// <summary>Every frame of a segment is durably stored.</summary>
public sealed record SegmentRendered(string RenderId, int SegmentIndex, int FrameCount, string Worker, double Seconds);
