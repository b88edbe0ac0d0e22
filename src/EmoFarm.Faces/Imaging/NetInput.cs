using EmoFarm.Contracts.Rendering;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Imaging;

/// <summary>
/// The input pipeline every face-api net shares (its <c>NetInput.toBatchTensor</c>): pad the image to a square
/// with zeros, then resize it with TensorFlow's bilinear resize. Reproduced exactly, because the nets were trained
/// and are checked against those pixels.
/// </summary>
internal static class NetInput
{
    /// <returns>[1, 3, H, W] float32, values 0..255.</returns>
    public static Tensor FromImage(RgbImage image, Device? device = null)
    {
        using var hwc = tensor(image.Pixels, [image.Height, image.Width, 3], ScalarType.Byte);
        return hwc.permute(2, 0, 1).unsqueeze(0).to(ScalarType.Float32, device ?? CPU).contiguous();
    }

    /// <summary>The pixels of <paramref name="box"/> (clipped to the image and floored, as face-api crops).</summary>
    /// <returns>[1, 3, h, w], or null when nothing of the box lies inside the image.</returns>
    public static Tensor? Crop(Tensor image, FaceBox box)
    {
        var (height, width) = ((int)image.shape[2], (int)image.shape[3]);
        var clipped = box.ClipToImage(width, height);
        if (clipped.Width <= 0 || clipped.Height <= 0) return null;
        return image[.., .., TensorIndex.Slice((long)clipped.Y, (long)(clipped.Y + clipped.Height)),
            TensorIndex.Slice((long)clipped.X, (long)(clipped.X + clipped.Width))].contiguous();
    }

    /// <summary>
    /// face-api's <c>padToSquare</c>: zeros appended after the shorter side, or (centred) split with the larger half
    /// after and the rest before.
    /// </summary>
    public static Tensor PadToSquare(Tensor image, bool centre)
    {
        var (height, width) = (image.shape[2], image.shape[3]);
        if (height == width) return image.alias();
        var difference = Math.Abs(height - width);
        var after = (long)Math.Round(difference * (centre ? 0.5 : 1.0), MidpointRounding.AwayFromZero);
        var before = centre ? difference - after : 0;
        // pad takes (left, right, top, bottom) for the last two dimensions.
        long[] padding = height > width ? [before, after, 0, 0] : [0, 0, before, after];
        return nn.functional.pad(image, padding, TorchSharp.PaddingModes.Constant, 0);
    }

    /// <summary>
    /// <c>tf.image.resizeBilinear(x, size, alignCorners=false, halfPixelCenters=false)</c>: the source coordinate of
    /// output pixel i is i·in/out, with no half-pixel shift. PyTorch's bilinear interpolation shifts by half a pixel,
    /// so it cannot stand in; this gathers the two neighbours on each axis and blends them in float32 as TF does.
    /// </summary>
    public static Tensor ResizeBilinear(Tensor image, int outHeight, int outWidth)
    {
        var (height, width) = (image.shape[2], image.shape[3]);
        if (height == outHeight && width == outWidth) return image.alias();
        using var scope = NewDisposeScope();
        var (top, bottom, fy) = Neighbours(height, outHeight, image.device);
        var (left, right, fx) = Neighbours(width, outWidth, image.device);
        var topRows = image.index_select(2, top);
        var bottomRows = image.index_select(2, bottom);
        var tl = topRows.index_select(3, left);
        var tr = topRows.index_select(3, right);
        var bl = bottomRows.index_select(3, left);
        var br = bottomRows.index_select(3, right);
        var fxRow = fx.view(1, 1, 1, -1);
        var upper = tl + ((tr - tl) * fxRow);
        var lower = bl + ((br - bl) * fxRow);
        return (upper + ((lower - upper) * fy.view(1, 1, -1, 1))).MoveToOuterDisposeScope();
    }

    /// <summary>Pad to a square, then resize to <paramref name="size"/>², as <c>toBatchTensor(size, centre)</c>.</summary>
    public static Tensor ToSquareInput(Tensor image, int size, bool centre)
    {
        using var square = PadToSquare(image, centre);
        return ResizeBilinear(square, size, size);
    }

    private static (Tensor Low, Tensor High, Tensor Fraction) Neighbours(long input, int output, Device device)
    {
        var scale = (double)input / output; // double, as TensorFlow.js computes it
        var low = new long[output];
        var high = new long[output];
        var fraction = new float[output];
        for (var i = 0; i < output; i++)
        {
            var source = i * scale;
            low[i] = (long)Math.Floor(source);
            high[i] = Math.Min(input - 1, (long)Math.Ceiling(source));
            fraction[i] = (float)(source - low[i]);
        }

        return (tensor(low, device: device), tensor(high, device: device), tensor(fraction, device: device));
    }
}
