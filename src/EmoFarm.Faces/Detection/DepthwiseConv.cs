using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Detection;

/// <summary>A 3×3 depthwise convolution, batch norm and ReLU6 (face-api's <c>depthwiseConvLayer</c>).</summary>
internal sealed class DepthwiseConv : nn.Module<Tensor, Tensor>
{
    // names mirror the checkpoint: "…/Conv2d_1_depthwise/depthwise_weights", "…/Conv2d_1_depthwise/BatchNorm/…"
    private readonly Parameter depthwise_weights;
    private readonly TfBatchNorm BatchNorm;
    private readonly long stride;
    private readonly long channels;

    public DepthwiseConv(long channels, long stride) : base(nameof(DepthwiseConv))
    {
        depthwise_weights = new Parameter(zeros(channels, 1, 3, 3), requires_grad: false);
        BatchNorm = new TfBatchNorm(channels);
        this.stride = stride;
        this.channels = channels;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var y = TfConvolution.Conv2dSame(input, depthwise_weights, stride, groups: channels);
        return BatchNorm.forward(y).clamp_(0, 6).MoveToOuterDisposeScope();
    }
}
