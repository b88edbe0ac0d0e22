using System.ComponentModel.DataAnnotations;

namespace EmoFarm.Farm.Api;

/// <summary>
/// The server's defaults for Hallo's controls, used where a request leaves them unset. An operator tunes them per
/// deployment (Helm <c>config.render</c>) instead of asking every client to send them.
/// </summary>
public sealed class RenderDefaults
{
    public const string Section = "Render";

    /// <summary>Hallo's pose_weight: the audio attention's scale over the whole frame.</summary>
    [Range(0, ParameterValidator.MaxRegionWeight)] public float PoseWeight { get; set; } = ParameterValidator.DefaultRegionWeight;

    /// <summary>Hallo's face_weight: over the face.</summary>
    [Range(0, ParameterValidator.MaxRegionWeight)] public float FaceWeight { get; set; } = ParameterValidator.DefaultRegionWeight;

    /// <summary>Hallo's lip_weight: over the lips.</summary>
    [Range(0, ParameterValidator.MaxRegionWeight)] public float LipWeight { get; set; } = ParameterValidator.DefaultRegionWeight;

    /// <summary>Hallo's face_expand_ratio: the face locator's box over the face silhouette's.</summary>
    [Range(ParameterValidator.MinFaceExpandRatio, ParameterValidator.MaxFaceExpandRatio)]
    public double FaceExpandRatio { get; set; } = ParameterValidator.DefaultFaceExpandRatio;

    /// <summary>Whether vocals are separated from the accompaniment unless a request says otherwise.</summary>
    public bool SeparateVocals { get; set; } = true;
}
