using System.Globalization;
using EmoFarm.Contracts;
using EmoFarm.Farm.State;

namespace EmoFarm.Farm.Faces;

/// <summary>Which measurements fall below the thresholds: one line per failed check, for people to read.</summary>
public static class QualityVerdict
{
    public static IReadOnlyList<string> Flags(RenderQuality quality, QualityOptions limits)
    {
        var flags = new List<string>();
        foreach (var s in quality.Segments)
        {
            if (s.FaceShare < limits.MinFaceShare)
                flags.Add($"segment {s.SegmentIndex}: a face in {F(s.FaceShare * 100)} % of frames, under {F(limits.MinFaceShare * 100)} % (Quality:MinFaceShare)");
            if (s.IdentityMean is { } identity && identity < limits.MinIdentity)
                flags.Add($"segment {s.SegmentIndex}: identity similarity {F(identity)}, under {F(limits.MinIdentity)} (Quality:MinIdentity)");
            if (s.LipSync < limits.MinLipSync && s.FaceShare > 0)
                flags.Add($"segment {s.SegmentIndex}: lip-sync {F(s.LipSync)}, under {F(limits.MinLipSync)} (Quality:MinLipSync)");
        }

        foreach (var seam in quality.Seams.Where(seam => seam.Ratio > limits.MaxSeamRatio))
            flags.Add($"seam {seam.SeamIndex}: landmarks jump {F(seam.Ratio!.Value)}x the segments' own motion, over {F(limits.MaxSeamRatio)}x (Quality:MaxSeamRatio)");
        foreach (var seam in quality.Seams.Where(seam => seam.Fallback is not null))
            flags.Add($"seam {seam.SeamIndex}: crossfaded instead of continued with motion frames: {seam.Fallback}");
        return flags;
    }

    /// <summary>
    /// How far a take falls short of the segment checks, each shortfall as a share of its check's range (face share
    /// 0..1, cosine and correlation -1..1): 0 when it passes them all, as <see cref="Flags"/> would say. Retakes keep
    /// the take with the least.
    /// </summary>
    public static double Shortfall(SegmentQuality s, QualityOptions limits)
    {
        var shortfall = Math.Max(0, limits.MinFaceShare - s.FaceShare);
        if (s.IdentityMean is { } identity)
            shortfall += Math.Max(0, limits.MinIdentity - identity) / 2;
        if (s.FaceShare > 0)
            shortfall += Math.Max(0, limits.MinLipSync - s.LipSync) / 2;
        return shortfall;
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
