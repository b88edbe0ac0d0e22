namespace EmoFarm.Contracts;

/// <summary>A segment gave up after its bounded retries; the render fails with this cause.</summary>
public sealed record SegmentFailed(string RenderId, int SegmentIndex, int Attempts, string Reason);
