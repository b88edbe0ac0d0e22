using static TorchSharp.torch;

namespace EmoFarm.Faces.Landmarks;

/// <summary>
/// TensorFlow's <c>'same'</c> padding: the output has ⌈in / stride⌉ pixels, and of the padding that takes, the
/// smaller half goes before and the larger after. A stride-2 convolution of an even input so pads only the bottom
/// and right, which PyTorch's symmetric <c>padding</c> cannot express.
/// </summary>
internal static class TfSamePadding
{
    /// <returns>
    /// The input (padded first where the padding is lopsided), and the symmetric padding the convolution itself
    /// should add.
    /// </returns>
    public static (Tensor Input, long Padding) Apply(Tensor input, long kernel, long stride)
    {
        var (height, width) = (input.shape[2], input.shape[3]);
        var (top, bottom) = Split(height, kernel, stride);
        var (left, right) = Split(width, kernel, stride);
        if (top == bottom && left == right && top == left) return (input.alias(), top);
        return (nn.functional.pad(input, [left, right, top, bottom], TorchSharp.PaddingModes.Constant, 0), 0);
    }

    private static (long Before, long After) Split(long size, long kernel, long stride)
    {
        var output = (size + stride - 1) / stride;
        var total = Math.Max(((output - 1) * stride) + kernel - size, 0);
        return (total / 2, total - (total / 2));
    }
}
