using static TorchSharp.torch;

namespace EmoFarm.Model.Rendering;

/// <summary>
/// The face-region mask the face locator encodes: ones over the face that portrait framing found (or the client
/// gave), zeros elsewhere. Without face analysis the portrait is assumed framed by the EMO rule, and the mask is the
/// central box where that rule puts the face.
/// </summary>
internal static class FaceRegionMask
{
    public const double Left = 0.2, Right = 0.8, Top = 0.1, Bottom = 0.9;

    /// <returns>[1, 3, H, W] with ones inside the face box.</returns>
    public static Tensor Mask(int width, int height, Contracts.FaceRegion? region)
    {
        var (left, top, right, bottom) = region is null
            ? (Left, Top, Right, Bottom)
            : (region.Left, region.Top, region.Right, region.Bottom);
        var mask = zeros(1, 3, height, width);
        var (x0, x1) = ((long)Math.Floor(width * Math.Clamp(left, 0, 1)), (long)Math.Ceiling(width * Math.Clamp(right, 0, 1)));
        var (y0, y1) = ((long)Math.Floor(height * Math.Clamp(top, 0, 1)), (long)Math.Ceiling(height * Math.Clamp(bottom, 0, 1)));
        if (x1 > x0 && y1 > y0)
            mask[.., .., TensorIndex.Slice(y0, y1), TensorIndex.Slice(x0, x1)] = tensor(1f);
        return mask;
    }
}
