using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Landmarks;

/// <summary><c>x · weights + bias</c>. Parameter names are the TensorFlow.js weight names.</summary>
internal sealed class FullyConnected : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weights;
    private readonly Parameter bias;

    public FullyConnected(long featuresIn, long featuresOut)
        : base(nameof(FullyConnected))
    {
        weights = new Parameter(zeros(featuresOut, featuresIn), requires_grad: false);
        bias = new Parameter(zeros(featuresOut), requires_grad: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        // linear rather than matmul: a shape error in TorchSharp's matmul aborts the process instead of throwing.
        return nn.functional.linear(input, weights, bias).MoveToOuterDisposeScope();
    }
}
