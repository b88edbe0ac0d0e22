namespace EmoFarm.Contracts;

/// <summary>Renders frames [FirstFrame, FirstFrame + FrameCount) of a render, clip by clip.</summary>
/// <remarks>
/// The audio slice object holds 16 kHz mono float32 PCM starting <see cref="AudioLeadSamples"/> before the
/// segment's first frame, so the audio encoder sees context on both sides of the segment.
/// </remarks>
public sealed record RenderSegment
{
    public required string RenderId { get; init; }
    /// <summary>The render's tenant: its objects live under the tenant's prefix.</summary>
    public required string Tenant { get; init; }
    public required int SegmentIndex { get; init; }
    public required int SegmentCount { get; init; }
    public required int FirstFrame { get; init; }
    public required int FrameCount { get; init; }
    public required string PortraitKey { get; init; }
    public required string AudioSliceKey { get; init; }
    public required int AudioLeadSamples { get; init; }
    public required ulong Seed { get; init; }
    public required ModelSettings Settings { get; init; }

    /// <summary>
    /// Which rendering of the segment this is: 0 first, then one more for each quality retake. Each take has its own
    /// seed and frame keys, and a worker drops a command for a take the segment has moved past.
    /// </summary>
    public int Take { get; init; }

    /// <summary>The portrait's identity embedding and landmarks; null when the orchestrator has no analysis models.</summary>
    public PortraitAnalysis? Analysis { get; init; }

    /// <summary>
    /// Attempts at this take, crashes included, before the render fails. Set by the orchestrator, so every worker
    /// applies the same bound; 0 (a command from before the field existed) means <see cref="DefaultMaxAttempts"/>.
    /// </summary>
    public int MaxAttempts { get; init; }

    public const int DefaultMaxAttempts = 3;
}
