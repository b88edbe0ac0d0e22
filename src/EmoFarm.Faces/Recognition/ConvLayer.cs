using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Recognition;

/// <summary>
/// face-api's recognition conv layer: a biased convolution followed by a <see cref="ScaleLayer"/> and, unless it
/// ends a residual branch, a ReLU. Stride 1 pads as TensorFlow's 'same' (one pixel all round for 3×3); stride 2
/// is 'valid' (no padding), so a down-sampling layer drops the last row and column of an odd input.
/// </summary>
internal sealed class ConvLayer : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly ScaleLayer scale;
    private readonly bool relu;

    public ConvLayer(long inChannels, long outChannels, long kernelSize, bool down, bool relu = true) : base(nameof(ConvLayer))
    {
        conv = nn.Conv2d(inChannels, outChannels, kernelSize, stride: down ? 2 : 1, padding: down ? 0 : kernelSize / 2);
        scale = new ScaleLayer(outChannels);
        this.relu = relu;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var y = scale.forward(conv.forward(input));
        return (relu ? nn.functional.relu(y) : y).MoveToOuterDisposeScope();
    }
}
