using EmoFarm.Contracts;

namespace EmoFarm.Farm.State;

/// <summary>The quality measurements stored for a render so far, in segment and seam order.</summary>
/// <param name="Segments">The kept take of each done segment.</param>
/// <param name="Takes">Every measured take, kept or not, by segment and take.</param>
public sealed record RenderQuality(IReadOnlyList<SegmentQuality> Segments, IReadOnlyList<SeamQuality> Seams, IReadOnlyList<SegmentQuality> Takes)
{
    public static RenderQuality Empty { get; } = new([], [], []);
}
