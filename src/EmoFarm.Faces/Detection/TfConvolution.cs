using static TorchSharp.torch;

namespace EmoFarm.Faces.Detection;

/// <summary>TensorFlow's convolution with <c>padding: 'same'</c>, which PyTorch's symmetric padding cannot express.</summary>
internal static class TfConvolution
{
    /// <summary>
    /// TensorFlow pads 'same' so that the output is ⌈in / stride⌉ and puts the odd pixel after the image. At stride 2
    /// on even sizes that is 0 before and 1 after, so the rows and columns sampled differ from PyTorch's padding 1.
    /// </summary>
    /// <param name="input">[B, C, H, W], contiguous.</param>
    /// <param name="weight">[out, C / groups, k, k].</param>
    public static Tensor Conv2dSame(Tensor input, Tensor weight, long stride, long groups = 1)
    {
        var kernel = weight.shape[3];
        var (top, bottom) = SamePadding(input.shape[2], kernel, stride);
        var (left, right) = SamePadding(input.shape[3], kernel, stride);
        if (top == bottom && left == right)
        {
            return nn.functional.conv2d(input, weight, strides: [stride, stride], padding: [top, left], groups: groups);
        }

        using var padded = nn.functional.pad(input, [left, right, top, bottom]);
        return nn.functional.conv2d(padded, weight, strides: [stride, stride], groups: groups);
    }

    internal static (long Before, long After) SamePadding(long size, long kernel, long stride)
    {
        var output = (size + stride - 1) / stride;
        var total = Math.Max(((output - 1) * stride) + kernel - size, 0);
        return (total / 2, total - (total / 2));
    }
}
