namespace EmoFarm.Contracts;

/// <summary>How good a rendered segment looks to face analysis (see EmoFarm.Faces.Quality). Null: not measurable (no face).</summary>
/// <param name="FaceShare">Share of frames with a detected face, 0..1.</param>
/// <param name="IdentityMean">Mean cosine similarity of each face's 128-d embedding to the portrait's.</param>
/// <param name="IdentityMin">The lowest of those similarities.</param>
/// <param name="LipSync">Best correlation of mouth opening with audio loudness within ±2 frames; ~0 for a still face.</param>
/// <param name="LipSyncLag">The lag (frames) of that best correlation; positive when the mouth leads the sound.</param>
/// <param name="Motion">Median landmark step between consecutive frames, in face sizes: the segment's own motion.</param>
/// <param name="Take">The take (<see cref="RenderSegment.Take"/>) these frames belong to.</param>
public sealed record SegmentQuality(
    int SegmentIndex,
    double FaceShare,
    double? IdentityMean,
    double? IdentityMin,
    double LipSync,
    int LipSyncLag,
    double? Motion,
    int Take = 0);
