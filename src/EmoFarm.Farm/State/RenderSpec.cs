using EmoFarm.Contracts;

namespace EmoFarm.Farm.State;

public enum SeamStrategyKind
{
    Crossfade = 1,
    MotionFrames = 2,
}

/// <summary>A render's validated parameters.</summary>
public sealed record RenderSpec
{
    public required ModelSettings Model { get; init; }
    public required ulong Seed { get; init; }
    public required int SegmentFrames { get; init; }
    public required int OverlapFrames { get; init; }
    public required SeamStrategyKind SeamStrategy { get; init; }
    public required int Priority { get; init; }
    /// <summary>Whether the vocals are separated from the accompaniment before the audio is encoded (the MP4 keeps the mix).</summary>
    public bool SeparateVocals { get; init; } = true;
}
