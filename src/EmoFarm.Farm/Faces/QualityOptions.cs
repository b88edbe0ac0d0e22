using System.ComponentModel.DataAnnotations;

namespace EmoFarm.Farm.Faces;

/// <summary>
/// Thresholds under which a segment or seam is flagged. The defaults are starting points measured on face-api's
/// demo photographs and our tests (README, "Faces"), to be tuned against a farm's own renders.
/// </summary>
public sealed class QualityOptions
{
    public const string Section = "Quality";

    /// <summary>Measure rendered segments on the workers (needs Faces:ModelFolder there).</summary>
    public bool Enabled { get; set; } = true;

    [Range(0.0, 1.0)] public double MinFaceShare { get; set; } = 0.9;

    [Range(-1.0, 1.0)] public double MinIdentity { get; set; } = 0.8;

    [Range(-1.0, 1.0)] public double MinLipSync { get; set; } = 0.2;

    [Range(1.0, 1000.0)] public double MaxSeamRatio { get; set; } = 4.0;

    /// <summary>
    /// How many times the orchestrator renders a flagged segment again with another seed before it keeps the best
    /// take. Off by default: each retake costs a segment's GPU time, and the thresholds are not yet calibrated on a
    /// released checkpoint's output.
    /// </summary>
    [Range(0, MaxRetakes)] public int Retakes { get; set; }

    public const int MaxRetakes = 5;
}
