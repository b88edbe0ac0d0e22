using EmoFarm.Contracts;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces;
using EmoFarm.Faces.Identity;
using EmoFarm.Faces.Mesh;

namespace EmoFarm.Farm.Conditioning;

/// <summary>
/// Runs on the orchestrator, once per render: Hallo's identity embedding of the framed portrait (insightface's largest
/// face) and the face-mesh landmarks its masks are drawn from. Workers get both in the segment commands and need
/// none of these models.
/// </summary>
public sealed class PortraitAnalyzer(ConditioningModels models)
{
    /// <summary>Human's face.detector.minConfidence, below which it discards a mesh.</summary>
    public const double MinMeshConfidence = 0.2;

    /// <param name="portrait">The framed portrait, at the render's size: the image Hallo's ImageProcessor sees.</param>
    /// <param name="face">Where framing found the face; the mesh looks there, or at insightface's face without it.</param>
    public (PortraitAnalysis? Analysis, string Identity, string Landmarks) Analyse(RgbImage portrait, FaceRegion? face)
    {
        var (embedding, detected, identity) = Identify(portrait);
        var box = face is { } f
            ? new FaceBox(f.Left * portrait.Width, f.Top * portrait.Height, (f.Right - f.Left) * portrait.Width, (f.Bottom - f.Top) * portrait.Height)
            : detected is { } d ? new FaceBox(d.X1, d.Y1, d.X2 - d.X1, d.Y2 - d.Y1) : (FaceBox?)null;
        var (landmarks, model, said) = Mesh(portrait, box);
        return (embedding is null && landmarks is null ? null : new PortraitAnalysis(embedding, landmarks, model), identity, said);
    }

    private (float[]? Embedding, DetectedFace? Face, string Report) Identify(RgbImage portrait)
    {
        if (models.Identity is not { } identity)
            return (null, null, $"NONE, the model sees zeros: {models.IdentityMissing}");
        var found = identity.Detect(portrait);
        var names = $"{identity.Detector.FileName} + {identity.Recognizer.FileName}";
        // Hallo: no face gives np.zeros(512), which is what a null embedding renders as.
        if (IdentityModels.Largest(found) is not { } largest)
            return (null, null, $"no face found by insightface ({names}): the model sees zeros, as Hallo's does");
        return (identity.Embed(portrait, largest), largest, $"insightface ({names}), the largest of {found.Count} face(s), score {largest.Score:0.00}");
    }

    private (double[]? Landmarks, string? Model, string Report) Mesh(RgbImage portrait, FaceBox? box)
    {
        if (models.Mesh is not { } mesh)
            return (null, null, $"NONE, the masks cover the whole frame: {models.MeshMissing}");
        if (box is not { } b)
            return (null, null, "NONE, the masks cover the whole frame: no face was found to place the mesh on");
        FaceMeshResult result;
        lock (models.MeshGate)
            result = mesh.Detect(portrait, b);
        // Human drops a mesh whose face flag is under 0.2: the crop then holds no face it can place points on.
        if (result.Confidence < MinMeshConfidence)
            return (null, null, $"NONE, the masks cover the whole frame: {result.Model} saw no face (confidence {result.Confidence:0.00} < {MinMeshConfidence})");
        var flat = new double[result.Points.Count * 2];
        for (var i = 0; i < result.Points.Count; i++)
            (flat[2 * i], flat[(2 * i) + 1]) = (result.Points[i].X, result.Points[i].Y);
        return (flat, result.Model, $"{result.Model}, face confidence {result.Confidence:0.00}");
    }
}
