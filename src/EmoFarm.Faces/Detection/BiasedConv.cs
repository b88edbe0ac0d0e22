using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Detection;

/// <summary>A 1×1 convolution plus bias, no activation (face-api's <c>convLayer</c> as the box predictors use it).</summary>
internal sealed class BiasedConv : nn.Module<Tensor, Tensor>
{
    // names mirror the checkpoint: "…/ClassPredictor/weights", "…/ClassPredictor/biases"
    private readonly Parameter weights;
    private readonly Parameter biases;

    public BiasedConv(long inChannels, long outChannels) : base(nameof(BiasedConv))
    {
        weights = new Parameter(zeros(outChannels, inChannels, 1, 1), requires_grad: false);
        biases = new Parameter(zeros(outChannels), requires_grad: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var y = TfConvolution.Conv2dSame(input, weights, stride: 1);
        return y.add_(biases.view(1, -1, 1, 1)).MoveToOuterDisposeScope();
    }
}
