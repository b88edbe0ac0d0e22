using EmoFarm.Contracts;

namespace EmoFarm.Farm.State;

/// <summary>The quality measurements stored for a render so far, in segment and seam order.</summary>
public sealed record RenderQuality(IReadOnlyList<SegmentQuality> Segments, IReadOnlyList<SeamQuality> Seams)
{
    public static RenderQuality Empty { get; } = new([], []);
}
