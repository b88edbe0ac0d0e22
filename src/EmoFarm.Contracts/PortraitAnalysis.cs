namespace EmoFarm.Contracts;

/// <summary>
/// What the orchestrator computed from the framed portrait, once per render, so that workers need none of the
/// analysis models: Hallo's identity embedding and the face-mesh landmarks its masks are drawn from.
/// </summary>
/// <param name="Embedding">insightface's raw 512-d embedding of the largest face; null when no face was found (the model then sees zeros, as in Hallo).</param>
/// <param name="Landmarks">Face-mesh landmarks in the framed portrait's pixels, as x, y pairs in MediaPipe's topology; null without a face mesh (whole-frame masks).</param>
/// <param name="LandmarkModel">Which landmark model made <paramref name="Landmarks"/>, for the record.</param>
public sealed record PortraitAnalysis(float[]? Embedding, double[]? Landmarks, string? LandmarkModel);
