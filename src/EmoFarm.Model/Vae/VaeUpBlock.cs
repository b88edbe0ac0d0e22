using EmoFarm.Model.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Vae;

/// <summary>UpDecoderBlock2D: layers+1 resnets without time embedding, then nearest 2x upsampling and a conv.</summary>
public sealed class VaeUpBlock : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<ResnetBlock2D> resnets = new();
    private readonly ModuleList<Upsample2D> upsamplers = new();

    public VaeUpBlock(long input, long output, int layers, long groups, bool upsample) : base(nameof(VaeUpBlock))
    {
        for (var j = 0; j < layers; j++)
        {
            resnets.Add(new ResnetBlock2D(j == 0 ? input : output, output, 0, groups, 1e-6));
        }

        if (upsample)
        {
            upsamplers.Add(new Upsample2D(output));
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

        foreach (var u in upsamplers)
        {
            h = u.forward(h, null);
        }

        return h.MoveToOuterDisposeScope();
    }
}
