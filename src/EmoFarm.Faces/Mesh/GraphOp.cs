using static TorchSharp.torch;

namespace EmoFarm.Faces.Mesh;

/// <summary>
/// One compiled node: the values it reads (by node name, in order) and how it computes its own. Weights and other
/// constant operands an op needs as parameters (filters, biases, paddings, shapes) are baked in when it is built,
/// already in libtorch's layout and on the device.
/// </summary>
internal abstract class GraphOp(TfjsGraphNode node, IReadOnlyList<string> inputs) : IDisposable
{
    public TfjsGraphNode Node { get; } = node;

    public IReadOnlyList<string> Inputs { get; } = inputs;

    /// <param name="inputs">The values of <see cref="Inputs"/>, in the interpreter's layout (rank 4 is NCHW).</param>
    public abstract Tensor Run(IReadOnlyList<Tensor> inputs);

    public virtual void Dispose()
    {
    }
}

/// <summary>An op without parameters of its own.</summary>
internal sealed class FunctionOp(TfjsGraphNode node, IReadOnlyList<string> inputs, Func<IReadOnlyList<Tensor>, Tensor> run)
    : GraphOp(node, inputs)
{
    public override Tensor Run(IReadOnlyList<Tensor> inputs) => run(inputs);
}
