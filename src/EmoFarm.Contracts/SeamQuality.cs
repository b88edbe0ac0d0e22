namespace EmoFarm.Contracts;

/// <summary>Landmark continuity across one seam of the final video. Null: not measurable (no face near the seam).</summary>
/// <param name="AcrossSeam">Largest landmark step across the seam, in face sizes.</param>
/// <param name="WithinSegments">Median step inside the neighbouring segments, in face sizes.</param>
/// <param name="Ratio">AcrossSeam over WithinSegments: ~1 for a smooth seam, many times that for a cut.</param>
/// <param name="Fallback">Why the seam was crossfaded instead of reconciled by its strategy; null when it was not.</param>
public sealed record SeamQuality(int SeamIndex, double? AcrossSeam, double? WithinSegments, double? Ratio, string? Fallback = null);
