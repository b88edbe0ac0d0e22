using static TorchSharp.torch;

namespace EmoFarm.Faces.Mesh;

/// <summary>
/// How the interpreter holds a TensorFlow value: every rank-4 value (an NHWC image in the graph) is kept NCHW, the
/// layout libtorch's convolutions take; values of other ranks keep TensorFlow's layout. These convert at the edges
/// and align a lower-rank operand with an image under TensorFlow's broadcasting (trailing axes, so channels last).
/// </summary>
internal static class GraphLayout
{
    public static Tensor FromTf(Tensor value) => value.dim() == 4 ? value.permute(0, 3, 1, 2).contiguous() : value.alias();

    public static Tensor ToTf(Tensor value) => value.dim() == 4 ? value.permute(0, 2, 3, 1).contiguous() : value.alias();

    /// <summary>
    /// <paramref name="operand"/> (TensorFlow layout, rank below 4) as it broadcasts against an NCHW image: padded
    /// with leading ones to rank 4, as TensorFlow broadcasts, then moved to NCHW.
    /// </summary>
    public static Tensor AlignWithImage(Tensor operand)
    {
        if (operand.dim() >= 4) return operand.alias();
        var shape = Enumerable.Repeat(1L, 4 - (int)operand.dim()).Concat(operand.shape).ToArray();
        return operand.reshape(shape).permute(0, 3, 1, 2);
    }

    /// <summary>Both operands of an elementwise op, aligned when exactly one of them is an image.</summary>
    public static (Tensor A, Tensor B) Align(Tensor a, Tensor b) => (a.dim(), b.dim()) switch
    {
        (4, < 4) => (a.alias(), AlignWithImage(b)),
        ( < 4, 4) => (AlignWithImage(a), b.alias()),
        _ => (a.alias(), b.alias()),
    };
}
