using EmoFarm.Contracts;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces.Landmarks;
using EmoFarm.Faces.Masks;

namespace EmoFarm.Farm.Conditioning;

/// <summary>
/// Runs on the worker: turns the analysis a segment command carries into the model's conditioning. The masks are
/// drawn here from the landmarks rather than carried, because 468 points are a few kilobytes and four levels of
/// three masks are a hundred.
/// </summary>
public static class SegmentInputs
{
    /// <summary>Null when the command carries no analysis: the model then renders with zeros and whole-frame masks.</summary>
    public static PortraitConditioning? Conditioning(PortraitAnalysis? analysis, ModelSettings settings)
    {
        if (analysis is null)
            return null;
        // Hallo draws its masks for square renders only (its transforms take img_size[0] for both sides); a
        // non-square render keeps the face box and whole-frame masks.
        if (analysis.Landmarks is not { } flat || settings.Width != settings.Height)
            return new PortraitConditioning { FaceEmbedding = analysis.Embedding };
        var points = new FacePoint[flat.Length / 2];
        for (var i = 0; i < points.Length; i++)
            points[i] = new FacePoint(flat[2 * i], flat[(2 * i) + 1]);
        return HalloMasks.Compute(points, settings.Width, settings.Height, settings.FaceExpandRatio, imageSize: settings.Width)
            .ToConditioning(analysis.Embedding);
    }
}
