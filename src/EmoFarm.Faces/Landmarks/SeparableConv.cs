using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Landmarks;

/// <summary>
/// <c>tf.separableConv2d(x, depthwise, pointwise, stride, 'same')</c> plus bias: a 3×3 depthwise convolution, then
/// a 1×1 convolution across channels. Parameter names are the TensorFlow.js weight names.
/// </summary>
internal sealed class SeparableConv : nn.Module<Tensor, Tensor>
{
    private readonly Parameter depthwise_filter;
    private readonly Parameter pointwise_filter;
    private readonly Parameter bias;
    private readonly long _stride;

    public SeparableConv(long channelsIn, long channelsOut, long stride)
        : base(nameof(SeparableConv))
    {
        _stride = stride;
        depthwise_filter = new Parameter(zeros(channelsIn, 1, 3, 3), requires_grad: false);
        pointwise_filter = new Parameter(zeros(channelsOut, channelsIn, 1, 1), requires_grad: false);
        bias = new Parameter(zeros(channelsOut), requires_grad: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (padded, padding) = TfSamePadding.Apply(input, 3, _stride);
        var depthwise = nn.functional.conv2d(padded, depthwise_filter, strides: [_stride, _stride], padding: [padding, padding],
            groups: input.shape[1]);
        return nn.functional.conv2d(depthwise, pointwise_filter, bias).MoveToOuterDisposeScope();
    }
}
