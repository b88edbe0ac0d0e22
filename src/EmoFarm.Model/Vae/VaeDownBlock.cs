using EmoFarm.Model.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Vae;

/// <summary>DownEncoderBlock2D: resnets without time embedding, then an asymmetrically padded stride-2 conv.</summary>
public sealed class VaeDownBlock : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<ResnetBlock2D> resnets = new();
    private readonly ModuleList<Downsample2D> downsamplers = new();

    public VaeDownBlock(long input, long output, int layers, long groups, bool downsample) : base(nameof(VaeDownBlock))
    {
        for (var j = 0; j < layers; j++)
        {
            resnets.Add(new ResnetBlock2D(j == 0 ? input : output, output, 0, groups, 1e-6));
        }

        if (downsample)
        {
            downsamplers.Add(new Downsample2D(output, asymmetricPad: true));
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = input;
        foreach (var r in resnets)
        {
            h = r.forward(h, null);
        }

        foreach (var d in downsamplers)
        {
            h = d.forward(h);
        }

        return h.MoveToOuterDisposeScope();
    }
}
