using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Landmarks;

/// <summary>
/// <c>tf.conv2d(x, filters, stride, 'same')</c> plus bias: the ordinary 3×3 convolution that opens the first dense
/// block. Parameter names are the TensorFlow.js weight names.
/// </summary>
internal sealed class PlainConv : nn.Module<Tensor, Tensor>
{
    private readonly Parameter filters;
    private readonly Parameter bias;
    private readonly long _stride;

    public PlainConv(long channelsIn, long channelsOut, long stride)
        : base(nameof(PlainConv))
    {
        _stride = stride;
        filters = new Parameter(zeros(channelsOut, channelsIn, 3, 3), requires_grad: false);
        bias = new Parameter(zeros(channelsOut), requires_grad: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (padded, padding) = TfSamePadding.Apply(input, 3, _stride);
        return nn.functional.conv2d(padded, filters, bias, strides: [_stride, _stride], padding: [padding, padding])
            .MoveToOuterDisposeScope();
    }
}
