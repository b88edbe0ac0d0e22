using static TorchSharp.torch;

namespace EmoFarm.Model.Rendering;

/// <summary>
/// The face-region mask the face locator encodes. Until portraits are framed by face detection (a separate
/// issue), the portrait is assumed centred as the EMO framing rule asks, and the mask covers the central box
/// where that rule puts the face.
/// </summary>
internal static class FaceRegion
{
    public const double Left = 0.2, Right = 0.8, Top = 0.1, Bottom = 0.9;

    /// <returns>[1, 3, H, W] with ones inside the face box.</returns>
    public static Tensor CentredMask(int width, int height)
    {
        var mask = zeros(1, 3, height, width);
        var (x0, x1) = ((long)(width * Left), (long)(width * Right));
        var (y0, y1) = ((long)(height * Top), (long)(height * Bottom));
        mask[.., .., TensorIndex.Slice(y0, y1), TensorIndex.Slice(x0, x1)] = tensor(1f);
        return mask;
    }
}
