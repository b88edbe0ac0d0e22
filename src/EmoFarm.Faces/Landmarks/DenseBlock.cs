using static TorchSharp.torch;

namespace EmoFarm.Faces.Landmarks;

/// <summary>
/// face-api's <c>denseBlock4</c>: a stride-2 convolution, then three separable convolutions, each fed the ReLU of the
/// sum of every output before it (a DenseNet-style block that adds instead of concatenating).
/// </summary>
internal sealed class DenseBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv0;
    private readonly SeparableConv conv1;
    private readonly SeparableConv conv2;
    private readonly SeparableConv conv3;

    /// <param name="isFirstLayer">The first block opens with a plain convolution of the RGB input.</param>
    public DenseBlock(long channelsIn, long channelsOut, bool isFirstLayer)
        : base(nameof(DenseBlock))
    {
        conv0 = isFirstLayer ? new PlainConv(channelsIn, channelsOut, 2) : new SeparableConv(channelsIn, channelsOut, 2);
        conv1 = new SeparableConv(channelsOut, channelsOut, 1);
        conv2 = new SeparableConv(channelsOut, channelsOut, 1);
        conv3 = new SeparableConv(channelsOut, channelsOut, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var out1 = nn.functional.relu(conv0.forward(input));
        var out2 = conv1.forward(out1);
        var out3 = conv2.forward(nn.functional.relu(out1 + out2));
        // Summed in face-api's association order (out1 + (out2 + out3)), so float32 rounding matches too.
        var out4 = conv3.forward(nn.functional.relu(out1 + (out2 + out3)));
        return nn.functional.relu(out1 + (out2 + (out3 + out4))).MoveToOuterDisposeScope();
    }
}
