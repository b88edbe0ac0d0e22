namespace EmoFarm.Contracts;

/// <summary>Everything the model needs besides the inputs; part of every render command.</summary>
public sealed record ModelSettings
{
    public required int Fps { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required int Steps { get; init; }
    public required float GuidanceScale { get; init; }
    public required float ReferenceGuidanceScale { get; init; }
    /// <summary>Head-motion speed; 0 lets the model choose.</summary>
    public required float HeadMotionSpeed { get; init; }
    /// <summary>The face in the framed portrait; null without face analysis, when the centred box of the EMO framing rule is assumed.</summary>
    public FaceRegion? FaceRegion { get; init; }
    /// <summary>Hallo's pose_weight: the scale of the audio attention over the whole frame.</summary>
    public float PoseWeight { get; init; } = 1f;
    /// <summary>Hallo's face_weight: the scale of the audio attention over the face.</summary>
    public float FaceWeight { get; init; } = 1f;
    /// <summary>Hallo's lip_weight: the scale of the audio attention over the lips.</summary>
    public float LipWeight { get; init; } = 1f;
    /// <summary>Hallo's face_expand_ratio: the face locator's box is the landmarks' silhouette box scaled by this.</summary>
    public double FaceExpandRatio { get; init; } = 1.2;
}
