using EmoFarm.Contracts;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces;

namespace EmoFarm.Farm.Faces;

/// <summary>The identity every frame is compared with: the portrait's face, at the box framing put it in.</summary>
internal static class ReferenceFace
{
    public static float[]? Describe(FaceAnalyzer analyzer, RgbImage portrait, FaceRegion? region, double minScore)
    {
        if (region is null)
            return analyzer.AnalyseBest(portrait, minScore)?.Descriptor;
        var box = new FaceBox(region.Left * portrait.Width, region.Top * portrait.Height,
            (region.Right - region.Left) * portrait.Width, (region.Bottom - region.Top) * portrait.Height);
        return analyzer.Describe(portrait, box).Descriptor;
    }
}
