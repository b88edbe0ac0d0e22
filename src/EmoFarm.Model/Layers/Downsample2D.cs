using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Layers;

/// <summary>Stride-2 3x3 convolution. The VAE pads (0,1,0,1) by hand instead of padding 1 all round.</summary>
public sealed class Downsample2D : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly bool asymmetricPad;

    public Downsample2D(long channels, bool asymmetricPad = false) : base(nameof(Downsample2D))
    {
        this.asymmetricPad = asymmetricPad;
        conv = nn.Conv2d(channels, channels, 3, stride: 2, padding: asymmetricPad ? 0 : 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = asymmetricPad ? nn.functional.pad(input, [0, 1, 0, 1]) : input;
        return conv.forward(x).MoveToOuterDisposeScope();
    }
}
