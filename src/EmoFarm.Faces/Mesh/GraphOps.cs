using EmoFarm.Faces.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Mesh;

/// <summary>
/// Builds the compiled form of each op type the interpreter knows. The face mesh needs these nine (plus
/// <c>Const</c> and <c>Placeholder</c>, which the graph itself resolves); any other op type is refused by name.
/// </summary>
internal static class GraphOps
{
    public static IReadOnlyList<string> Supported { get; } =
    [
        "_FusedConv2D", "FusedDepthwiseConv2dNative", "DepthwiseConv2dNative", "AddV2", "Add", "Prelu", "MaxPool",
        "Pad", "Reshape", "Sigmoid", "Identity",
    ];

    public static bool Knows(string op) => op is "Const" or "Placeholder" || Supported.Contains(op);

    /// <param name="constant">The value of a Const node that an operand must be.</param>
    public static GraphOp Build(TfjsGraphNode node, Func<string, TfjsGraphNode, TfjsTensor> constant, Device device)
    {
        var inputs = node.DataInputs().ToArray();
        return node.Op switch
        {
            "_FusedConv2D" or "FusedDepthwiseConv2dNative" or "DepthwiseConv2dNative" => ConvolutionOp.Build(node, constant, device),
            "AddV2" or "Add" => Function(node, inputs, 2, x =>
            {
                var (a, b) = GraphLayout.Align(x[0], x[1]);
                using (a)
                using (b)
                {
                    return a + b;
                }
            }),
            // tfjs: x < 0 ? alpha·x : x.
            "Prelu" => Function(node, inputs, 2, x =>
            {
                var (value, alpha) = GraphLayout.Align(x[0], x[1]);
                using (value)
                using (alpha)
                using (var negative = value < 0)
                using (var scaled = value * alpha)
                {
                    return where(negative, scaled, value);
                }
            }),
            "Sigmoid" => Function(node, inputs, 1, x => x[0].sigmoid()),
            "Identity" => Function(node, inputs, 1, x => x[0].alias()),
            "MaxPool" => MaxPool(node, inputs),
            "Pad" => Pad(node, inputs, constant),
            "Reshape" => Reshape(node, inputs, constant),
            _ => throw Unsupported(node),
        };
    }

    public static NotSupportedException Unsupported(TfjsGraphNode node) => new(
        $"node {node}: op '{node.Op}' is not supported by the TensorFlow.js graph interpreter (it runs Const, Placeholder, {string.Join(", ", Supported)})");

    private static FunctionOp Function(TfjsGraphNode node, string[] inputs, int count, Func<IReadOnlyList<Tensor>, Tensor> run) =>
        inputs.Length == count
            ? new FunctionOp(node, inputs, run)
            : throw new InvalidDataException($"node {node} has {inputs.Length} inputs, {node.Op} takes {count}");

    private static FunctionOp MaxPool(TfjsGraphNode node, string[] inputs)
    {
        var size = node.Ints("ksize");
        var strides = node.Ints("strides");
        if (node.String("data_format", "NHWC") != "NHWC" || size.Count != 4 || strides.Count != 4 || size[0] != 1 || size[3] != 1 || strides[0] != 1 || strides[3] != 1)
        {
            throw new NotSupportedException($"node {node}: only NHWC spatial pooling is supported (ksize [{string.Join(", ", size)}], strides [{string.Join(", ", strides)}])");
        }

        var padding = TfPadding.Of(node);
        return Function(node, inputs, 1, x =>
        {
            var (top, bottom, left, right) = padding.For(x[0].shape[2], x[0].shape[3], size[1], size[2], strides[1], strides[2]);
            // TensorFlow's max-pool never picks its padding, so it pads with -∞, not 0.
            using var padded = top + bottom + left + right == 0
                ? x[0].alias()
                : nn.functional.pad(x[0], [left, right, top, bottom], PaddingModes.Constant, double.NegativeInfinity);
            return nn.functional.max_pool2d(padded, [size[1], size[2]], [strides[1], strides[2]]);
        });
    }

    private static FunctionOp Pad(TfjsGraphNode node, string[] inputs, Func<string, TfjsGraphNode, TfjsTensor> constant)
    {
        if (inputs.Length != 2) throw new InvalidDataException($"node {node} has {inputs.Length} inputs, Pad takes 2");
        var paddings = constant(inputs[1], node);
        var rank = paddings.Shape.Length == 2 && paddings.Shape[1] == 2 ? (int)paddings.Shape[0] : -1;
        if (rank < 1) throw new InvalidDataException($"node {node}: paddings '{inputs[1]}' are [{string.Join(", ", paddings.Shape)}], not [rank, 2]");
        var values = paddings.Values.Select(v => (long)v).ToArray();
        // torch pads from the last axis back, before/after pairs; a rank-4 value is NCHW here, TensorFlow's NHWC.
        int[] order = rank == 4 ? [2, 1, 3, 0] : [.. Enumerable.Range(0, rank).Reverse()];
        var torchPadding = order.SelectMany(axis => new[] { values[2 * axis], values[(2 * axis) + 1] }).ToArray();
        return Function(node, [inputs[0]], 1, x => x[0].dim() == rank
            ? nn.functional.pad(x[0], torchPadding, PaddingModes.Constant, 0)
            : throw new InvalidOperationException($"node {node}: the input is {x[0].dim()}-D, the paddings are for rank {rank}"));
    }

    private static FunctionOp Reshape(TfjsGraphNode node, string[] inputs, Func<string, TfjsGraphNode, TfjsTensor> constant)
    {
        if (inputs.Length != 2) throw new InvalidDataException($"node {node} has {inputs.Length} inputs, Reshape takes 2");
        var shape = constant(inputs[1], node).Values.Select(v => (long)v).ToArray();
        // Reshape orders elements as TensorFlow lays them out, so an image goes back to NHWC first.
        return Function(node, [inputs[0]], 1, x =>
        {
            using var tf = GraphLayout.ToTf(x[0]);
            using var reshaped = tf.reshape(shape);
            return GraphLayout.FromTf(reshaped);
        });
    }
}
