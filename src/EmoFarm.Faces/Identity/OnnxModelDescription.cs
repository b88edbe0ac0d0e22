using System.Globalization;

namespace EmoFarm.Faces.Identity;

/// <summary>
/// One ONNX file of an insightface model folder, as <c>emofarm model inspect</c> shows it: its signature, the role
/// insightface 0.7.3 gives it from that signature, and the input normalisation insightface would apply
/// (<c>(v − InputMean) / InputStd</c> on 0–255 pixels; null where insightface defines none).
/// </summary>
/// <param name="TaskName">insightface's <c>taskname</c> ("detection", "recognition", "landmark_3d_68",
/// "landmark_2d_106", "genderage", ...); null for unknown models and inswapper.</param>
/// <param name="Problem">Why insightface 0.7.3 would fail on this file (it asserts or raises while loading it);
/// null when it loads.</param>
public sealed record OnnxModelDescription(
    string Path,
    IReadOnlyList<OnnxTensorDescription> Inputs,
    IReadOnlyList<OnnxTensorDescription> Outputs,
    InsightFaceRole Role,
    string? TaskName,
    double? InputMean,
    double? InputStd,
    string? Problem)
{
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>
    /// Whether FaceAnalysis keeps it: the first file of its task in sorted order (later ones are "duplicated
    /// model task type, ignore"). Set by <see cref="IdentityModels.Describe"/> and <see cref="IdentityModels.Open"/>.
    /// </summary>
    public bool Kept { get; init; }

    /// <summary>One line: the file, its task, its normalisation and whether FaceAnalysis uses it.</summary>
    public override string ToString()
    {
        var role = TaskName ?? (Role == InsightFaceRole.Unknown ? "not recognised" : Role.ToString().ToLowerInvariant());
        var norm = InputMean is { } m && InputStd is { } s ? string.Create(CultureInfo.InvariantCulture, $", input (v - {m}) / {s}") : "";
        var use = Problem is not null ? $"insightface fails on it: {Problem}"
            : Kept ? "used" : TaskName is null ? "ignored" : "ignored (an earlier file has this task)";
        return $"{FileName}: {role}{norm}, {use}";
    }
}
