namespace EmoFarm.Contracts;

/// <summary>Every frame of a segment is durably stored.</summary>
/// <param name="Quality">Face-analysis checks of the stored frames; null where the worker has no face models.</param>
/// <param name="Take">The take (<see cref="RenderSegment.Take"/>) whose frames are stored.</param>
public sealed record SegmentRendered(string RenderId, int SegmentIndex, int FrameCount, string Worker, double Seconds, SegmentQuality? Quality = null, int Take = 0);
