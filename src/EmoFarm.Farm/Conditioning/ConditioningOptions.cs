using System.ComponentModel.DataAnnotations;

namespace EmoFarm.Farm.Conditioning;

/// <summary>
/// Where the orchestrator finds the models of Hallo's conditioning: the identity models and the vocal separator in
/// Hallo's release, the face mesh in human-models. Each one missing is said once at start and once per render.
/// </summary>
public sealed class ConditioningOptions
{
    public const string Section = "Conditioning";

    /// <summary>
    /// Hallo's <c>pretrained_models/</c> folder as downloaded, or a folder holding just its <c>face_analysis/</c> and
    /// <c>audio_separator/</c>. Empty: no identity embedding (the model sees zeros) and no vocal separation.
    /// </summary>
    public string? Release { get; set; }

    /// <summary>human-models' <c>models/</c> folder holding <c>facemesh.json</c>. Empty: the masks cover the whole frame.</summary>
    public string? FaceMeshFolder { get; set; }

    /// <summary>ONNX Runtime's execution provider for the identity models and the separator: cpu, or cuda in an image built with TorchBackend=cuda.</summary>
    [RegularExpression("^(cpu|cuda)$", ErrorMessage = "Conditioning:Provider must be cpu or cuda")]
    public string Provider { get; set; } = "cpu";

    /// <summary>insightface's models, as Hallo's FaceAnalysis(root=face_analysis) finds them.</summary>
    public string? IdentityFolder => string.IsNullOrWhiteSpace(Release) ? null : Path.Combine(Release, "face_analysis", "models");

    /// <summary>Kim_Vocal_2.onnx and mdx_model_data.json.</summary>
    public string? SeparatorFolder => string.IsNullOrWhiteSpace(Release) ? null : Path.Combine(Release, "audio_separator");
}
