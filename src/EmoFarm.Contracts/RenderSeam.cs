namespace EmoFarm.Contracts;

/// <summary>
/// Re-renders the overlap between two segments as a continuation of the left one's motion: the model is
/// conditioned on the left segment's frames just before the overlap (its "motion frames").
/// </summary>
public sealed record RenderSeam
{
    public required string RenderId { get; init; }
    /// <summary>The render's tenant: its objects live under the tenant's prefix.</summary>
    public required string Tenant { get; init; }
    public required int SeamIndex { get; init; }
    public required int FirstFrame { get; init; }
    public required int FrameCount { get; init; }
    /// <summary>Keys of the frames that condition the continuation, oldest first.</summary>
    public required IReadOnlyList<string> MotionFrameKeys { get; init; }
    public required string PortraitKey { get; init; }
    public required string AudioSliceKey { get; init; }
    public required int AudioLeadSamples { get; init; }
    public required ulong Seed { get; init; }
    public required ModelSettings Settings { get; init; }

    /// <summary>The portrait's analysis, as the segments were rendered with it, so that the continuation keeps the same identity and masks.</summary>
    public PortraitAnalysis? Analysis { get; init; }

    /// <summary>Attempts, crashes included, before the seam falls back to a crossfade; 0 means <see cref="RenderSegment.DefaultMaxAttempts"/>.</summary>
    public int MaxAttempts { get; init; }
}
