namespace EmoFarm.Faces.Mesh;

/// <summary>
/// A convolution's or pool's spatial padding as TensorFlow computes it, in pixels before and after each axis:
/// <c>VALID</c> none; <c>SAME</c> an output of ⌈in / stride⌉, the padding that takes split with the smaller half
/// before (so a stride-2 window over an even input pads only bottom and right, which PyTorch's symmetric padding
/// cannot express); <c>EXPLICIT</c> the node's own <c>explicit_paddings</c>.
/// </summary>
internal sealed record TfPadding(string Mode, IReadOnlyList<long> Explicit)
{
    public static TfPadding Of(TfjsGraphNode node)
    {
        var mode = node.String("padding");
        if (mode is not ("SAME" or "VALID" or "EXPLICIT"))
        {
            throw new NotSupportedException($"node {node}: padding '{mode}' is not supported (SAME, VALID or EXPLICIT)");
        }

        // explicit_paddings is NHWC, before/after pairs: [n0, n1, h0, h1, w0, w1, c0, c1].
        var explicitPaddings = node.Ints("explicit_paddings", []);
        if (mode == "EXPLICIT" && (explicitPaddings.Count != 8 || explicitPaddings[0] != 0 || explicitPaddings[1] != 0 || explicitPaddings[6] != 0 || explicitPaddings[7] != 0))
        {
            throw new InvalidDataException($"node {node}: explicit_paddings [{string.Join(", ", explicitPaddings)}] must pad only height and width");
        }

        return new TfPadding(mode, explicitPaddings);
    }

    /// <returns>(top, bottom, left, right).</returns>
    public (long Top, long Bottom, long Left, long Right) For(long height, long width, long kernelHeight, long kernelWidth,
        long strideHeight, long strideWidth, long dilationHeight = 1, long dilationWidth = 1)
    {
        switch (Mode)
        {
            case "VALID":
                return (0, 0, 0, 0);
            case "EXPLICIT":
                return (Explicit[2], Explicit[3], Explicit[4], Explicit[5]);
            default:
                var (top, bottom) = Same(height, ((kernelHeight - 1) * dilationHeight) + 1, strideHeight);
                var (left, right) = Same(width, ((kernelWidth - 1) * dilationWidth) + 1, strideWidth);
                return (top, bottom, left, right);
        }
    }

    private static (long Before, long After) Same(long size, long kernel, long stride)
    {
        var output = (size + stride - 1) / stride;
        var total = Math.Max(((output - 1) * stride) + kernel - size, 0);
        return (total / 2, total - (total / 2));
    }
}
