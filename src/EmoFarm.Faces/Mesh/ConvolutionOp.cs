using EmoFarm.Faces.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Mesh;

/// <summary>
/// <c>Conv2D</c>'s fused form (<c>_FusedConv2D</c>) and the depthwise ones (<c>DepthwiseConv2dNative</c>,
/// <c>FusedDepthwiseConv2dNative</c>): the convolution with the node's strides, dilations and padding, then its
/// <c>fused_ops</c> in order: <c>BiasAdd</c>, then one of <c>Relu</c>, <c>Relu6</c> or <c>Prelu</c>.
/// </summary>
internal sealed class ConvolutionOp : GraphOp
{
    private readonly Tensor weight;
    private readonly Tensor? bias;
    private readonly Tensor? alpha;
    private readonly string? activation;
    private readonly TfPadding padding;
    private readonly long[] strides;
    private readonly long[] dilations;
    private readonly long groups;

    private ConvolutionOp(TfjsGraphNode node, string input, Tensor weight, Tensor? bias, string? activation, Tensor? alpha, long groups)
        : base(node, [input])
    {
        this.weight = weight;
        this.bias = bias;
        this.activation = activation;
        this.alpha = alpha;
        this.groups = groups;
        padding = TfPadding.Of(node);
        strides = Spatial(node, "strides");
        dilations = Spatial(node, "dilations");
    }

    /// <param name="constant">The value of a Const node an operand must come from.</param>
    public static ConvolutionOp Build(TfjsGraphNode node, Func<string, TfjsGraphNode, TfjsTensor> constant, Device device)
    {
        var inputs = node.DataInputs().ToArray();
        if (inputs.Length < 2) throw new InvalidDataException($"node {node} has {inputs.Length} inputs; a convolution needs an input and a filter");
        var depthwise = node.Op != "_FusedConv2D";
        var filter = constant(inputs[1], node);
        if (filter.Shape.Length != 4) throw new InvalidDataException($"node {node}: filter '{inputs[1]}' is [{string.Join(", ", filter.Shape)}], not 4-D");

        var fused = node.Op == "DepthwiseConv2dNative" ? [] : node.Strings("fused_ops");
        var arguments = inputs.Skip(2).ToArray();
        string? activation = null;
        var expected = 0;
        foreach (var (op, index) in fused.Select((op, index) => (op, index)))
        {
            var valid = (index, op) switch
            {
                (0, "BiasAdd") => true,
                (1, "Relu" or "Relu6" or "Prelu") => true,
                _ => false,
            };
            if (!valid)
            {
                throw new NotSupportedException(
                    $"node {node}: fused_ops [{string.Join(", ", fused)}] is not supported (BiasAdd, then optionally Relu, Relu6 or Prelu)");
            }

            if (index == 1) activation = op;
            expected += op is "BiasAdd" or "Prelu" ? 1 : 0;
        }

        if (arguments.Length != expected)
        {
            throw new InvalidDataException($"node {node}: fused_ops [{string.Join(", ", fused)}] take {expected} extra inputs, the node has {arguments.Length}");
        }

        Tensor? bias = null, alpha = null;
        var weight = TfjsBinder.ToTorch(filter, depthwise ? TfLayout.Depthwise : TfLayout.Conv).to(device);
        try
        {
            var channels = weight.shape[0];
            if (arguments.Length > 0) bias = Channels(constant(arguments[0], node), channels, node, "bias").to(device);
            if (arguments.Length > 1) alpha = Channels(constant(arguments[1], node), channels, node, "Prelu alpha").to(device);
            var groups = depthwise ? filter.Shape[2] : 1;
            return new ConvolutionOp(node, inputs[0], weight, bias, activation, alpha, groups);
        }
        catch
        {
            weight.Dispose();
            bias?.Dispose();
            alpha?.Dispose();
            throw;
        }
    }

    public override Tensor Run(IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        var x = inputs[0];
        if (x.dim() != 4) throw new InvalidOperationException($"node {Node}: input is {x.dim()}-D, not an NHWC image");
        var (top, bottom, left, right) = padding.For(x.shape[2], x.shape[3], weight.shape[2], weight.shape[3],
            strides[0], strides[1], dilations[0], dilations[1]);
        long[] symmetric = [0, 0];
        if (top == bottom && left == right) symmetric = [top, left];
        else x = nn.functional.pad(x, [left, right, top, bottom], PaddingModes.Constant, 0);
        var y = nn.functional.conv2d(x, weight, bias, strides, symmetric, dilations, groups);
        y = activation switch
        {
            "Relu" => nn.functional.relu(y),
            "Relu6" => y.clamp(0, 6),
            "Prelu" => where(y > 0, y, y * alpha!),
            _ => y,
        };
        return y.MoveToOuterDisposeScope();
    }

    public override void Dispose()
    {
        weight.Dispose();
        bias?.Dispose();
        alpha?.Dispose();
        base.Dispose();
    }

    /// <summary>An NHWC attribute's height and width; batch and channel entries must be 1.</summary>
    private static long[] Spatial(TfjsGraphNode node, string attribute)
    {
        var values = node.Ints(attribute, [1, 1, 1, 1]);
        if (node.String("data_format", "NHWC") != "NHWC")
        {
            throw new NotSupportedException($"node {node}: data_format '{node.String("data_format")}' is not supported (NHWC)");
        }

        return values.Count == 4 && values[0] == 1 && values[3] == 1
            ? [values[1], values[2]]
            : throw new InvalidDataException($"node {node}: {attribute} [{string.Join(", ", values)}] must be [1, h, w, 1]");
    }

    /// <summary>A per-channel operand as [1, C, 1, 1] (bias) or [C] broadcast the same way.</summary>
    private static Tensor Channels(TfjsTensor value, long channels, TfjsGraphNode node, string what)
    {
        var count = value.Shape.Aggregate(1L, (n, d) => n * d);
        if (count != channels)
        {
            throw new InvalidDataException($"node {node}: {what} '{value.Name}' is [{string.Join(", ", value.Shape)}], the convolution has {channels} channels");
        }

        using var raw = tensor(value.Values, [channels]);
        return what == "bias" ? raw.clone() : raw.reshape(1, channels, 1, 1).contiguous();
    }
}
