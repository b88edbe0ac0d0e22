using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Layers;

/// <summary>Nearest-neighbour 2x upsampling (or to an explicit size) followed by a 3x3 convolution.</summary>
public sealed class Upsample2D : nn.Module<Tensor, long[]?, Tensor>
{
    private readonly Conv2d conv;

    public Upsample2D(long channels) : base(nameof(Upsample2D))
    {
        conv = nn.Conv2d(channels, channels, 3, padding: 1);
        RegisterComponents();
    }

    /// <param name="size">Target [H, W] when the skip connection is not exactly twice as large, else null.</param>
    public override Tensor forward(Tensor input, long[]? size)
    {
        using var scope = NewDisposeScope();
        var x = size is null
            ? nn.functional.interpolate(input, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest)
            : nn.functional.interpolate(input, size: size, mode: InterpolationMode.Nearest);
        return conv.forward(x).MoveToOuterDisposeScope();
    }
}
