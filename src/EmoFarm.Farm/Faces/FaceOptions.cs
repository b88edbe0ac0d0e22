using System.ComponentModel.DataAnnotations;

namespace EmoFarm.Farm.Faces;

/// <summary>Face analysis: portrait framing on the orchestrator, quality checks on the workers.</summary>
public sealed class FaceOptions
{
    public const string Section = "Faces";

    /// <summary>
    /// face-api's <c>model/</c> folder (scripts/install-face-api.sh prints it; the images ship it). Empty turns face
    /// analysis off: portraits are centre-cropped, the mask is the centred box and nothing is quality-checked, all
    /// said loudly at start.
    /// </summary>
    public string? ModelFolder { get; set; }

    /// <summary>The detector's minimum score for a face.</summary>
    [Range(0.05, 0.99)] public double MinScore { get; set; } = 0.5;

    /// <summary>The default framing expansion: the crop's shorter side over the face box's longer side.</summary>
    [Range(1.2, 4.0)] public double Expand { get; set; } = 1.8;

    /// <summary>The torch device the nets run on ("cpu", "cuda", "cuda:1").</summary>
    public string Device { get; set; } = "cpu";

    public bool Enabled => !string.IsNullOrWhiteSpace(ModelFolder);
}
