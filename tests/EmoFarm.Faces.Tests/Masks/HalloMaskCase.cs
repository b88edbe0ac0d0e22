using EmoFarm.Faces.Landmarks;
using EmoFarm.Faces.Masks;

namespace EmoFarm.Faces.Tests.Masks;

/// <summary>One fixture case: Hallo's inputs and its two boxes (expand_region's min_x, max_x, min_y, max_y).</summary>
internal sealed record HalloMaskCase(string Name, int Width, int Height, double FaceExpandRatio, int ImageSize,
    IReadOnlyList<FacePoint> Landmarks, MaskRegion LipRegion, MaskRegion FaceRegion);
