namespace EmoFarm.Faces.Identity;

/// <summary>
/// What insightface 0.7.3's model router (<c>model_zoo.ModelRouter.get_model</c>) makes of an ONNX file, judged
/// only by its signature, never by its name.
/// </summary>
public enum InsightFaceRole
{
    /// <summary>Not recognised: insightface prints "model not recognized" and skips it.</summary>
    Unknown,

    /// <summary>Five or more outputs: a RetinaFace/SCRFD detector (<c>detection</c>).</summary>
    Detection,

    /// <summary>A square input of at least 112, a multiple of 16, one output: ArcFace (<c>recognition</c>).</summary>
    Recognition,

    /// <summary>A 192×192 input with 3309 outputs: <c>landmark_3d_68</c>.</summary>
    Landmark3d68,

    /// <summary>A 192×192 input with any other output width N: <c>landmark_2d_{N/2}</c> (2d106det: 106).</summary>
    Landmark2d,

    /// <summary>A 96×96 input with 3 outputs: <c>genderage</c>.</summary>
    GenderAge,

    /// <summary>A 96×96 input with N ≠ 3 outputs: <c>attribute_N</c>.</summary>
    Attribute,

    /// <summary>Two inputs, 128×128: inswapper, which has no task name, so FaceAnalysis cannot hold it.</summary>
    Swapper,
}
