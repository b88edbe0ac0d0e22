namespace EmoFarm.Contracts;

/// <summary>
/// The frames [<see cref="FirstFrame"/>, <see cref="FirstFrame"/> + <see cref="FrameCount"/>) are final (their
/// segment done, the seam before it reconciled): encode them into chunk <see cref="ChunkIndex"/> of the video. A
/// repeat writes the same object again.
/// </summary>
public sealed record EncodeChunk
{
    public required string RenderId { get; init; }
    public required string Tenant { get; init; }
    public required int ChunkIndex { get; init; }
    public required int FirstFrame { get; init; }
    public required int FrameCount { get; init; }
    public required int Fps { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    /// <summary>The stored object of each frame, in order: the orchestrator decides which take or seam frame it is.</summary>
    public required IReadOnlyList<string> FrameKeys { get; init; }
}
