using EmoFarm.Contracts;

namespace EmoFarm.Farm.State;

/// <summary>A render as stored: its immutable plan plus its mutable progress.</summary>
public sealed record RenderRecord
{
    public required string Id { get; init; }
    /// <summary>The tenant that owns the render, its objects and its idempotency key.</summary>
    public required string Tenant { get; init; }
    public required RenderState State { get; init; }
    public required RenderSpec Spec { get; init; }
    public required string PortraitKey { get; init; }
    public required string AudioKey { get; init; }
    public required double AudioSeconds { get; init; }
    public required int FrameTotal { get; init; }
    public required int SegmentCount { get; init; }
    public string? IdempotencyKey { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? RenderingSince { get; init; }
    public string? Error { get; init; }
    public long FramesDone { get; init; }
    public int SegmentsDone { get; init; }
    public int SeamsDone { get; init; }
    public RenderOutput? Output { get; init; }
    public bool Dispatched { get; init; }
    /// <summary>The portrait's analysis, carried by every segment command; null without analysis models.</summary>
    public PortraitAnalysis? Analysis { get; init; }
    /// <summary>What the render was conditioned on, in words, as GetRender reports it.</summary>
    public ConditioningReport? Conditioning { get; init; }

    public int SeamCount => Math.Max(0, SegmentCount - 1);
}
