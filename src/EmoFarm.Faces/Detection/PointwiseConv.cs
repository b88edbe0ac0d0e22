using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Detection;

/// <summary>
/// A convolution whose batch norm TensorFlow folded into its weights and an offset, then ReLU6 (face-api's
/// <c>pointwiseConvLayer</c>). The exported graph calls these "pointwise" even where the kernel is 3×3.
/// </summary>
internal sealed class PointwiseConv : nn.Module<Tensor, Tensor>
{
    // names mirror the checkpoint: "…/Conv2d_3_pointwise/weights", "…/Conv2d_3_pointwise/convolution_bn_offset"
    private readonly Parameter weights;
    private readonly Parameter convolution_bn_offset;
    private readonly long stride;

    public PointwiseConv(long inChannels, long outChannels, long kernel, long stride) : base(nameof(PointwiseConv))
    {
        weights = new Parameter(zeros(outChannels, inChannels, kernel, kernel), requires_grad: false);
        convolution_bn_offset = new Parameter(zeros(outChannels), requires_grad: false);
        this.stride = stride;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var y = TfConvolution.Conv2dSame(input, weights, stride);
        return y.add_(convolution_bn_offset.view(1, -1, 1, 1)).clamp_(0, 6).MoveToOuterDisposeScope();
    }
}
