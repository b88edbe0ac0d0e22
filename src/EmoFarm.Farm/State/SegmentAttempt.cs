namespace EmoFarm.Farm.State;

/// <param name="Segment">The segment after the call.</param>
/// <param name="Exhausted">The take had had its attempts: none was started, and the segment must fail.</param>
public sealed record SegmentAttempt(SegmentRecord Segment, bool Exhausted);
