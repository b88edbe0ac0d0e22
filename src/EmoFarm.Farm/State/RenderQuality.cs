using EmoFarm.Contracts;

namespace EmoFarm.Farm.State;

/// <summary>The quality measurements stored for a render so far, in segment and seam order.</summary>
/// <param name="Segments">The kept take of each done segment.</param>
/// <param name="Takes">Every measured take, kept or not, by segment and take.</param>
public sealed record RenderQuality(IReadOnlyList<SegmentQuality> Segments, IReadOnlyList<SeamQuality> Seams, IReadOnlyList<SegmentQuality> Takes)
{
    public static RenderQuality Empty { get; } = new([], [], []);

    /// <summary>
    /// The measured seams with each fallback reason merged in, in seam order; a fallen-back seam that was not measured
    /// (no face models) is listed with its reason alone.
    /// </summary>
    public static IReadOnlyList<SeamQuality> WithFallbacks(IEnumerable<SeamQuality> measured, IReadOnlyDictionary<int, string> fallbacks)
    {
        var seams = measured.ToDictionary(q => q.SeamIndex);
        foreach (var (seam, reason) in fallbacks)
            seams[seam] = (seams.GetValueOrDefault(seam) ?? new SeamQuality(seam, null, null, null)) with { Fallback = reason };
        return [.. seams.Values.OrderBy(q => q.SeamIndex)];
    }
}
