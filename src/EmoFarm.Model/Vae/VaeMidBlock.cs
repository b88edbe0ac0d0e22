using EmoFarm.Model.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Vae;

/// <summary>UNetMidBlock2D of the VAE: resnet, single-head self-attention with group norm and residual, resnet.</summary>
public sealed class VaeMidBlock : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Attention> attentions;
    private readonly ModuleList<ResnetBlock2D> resnets;

    public VaeMidBlock(long channels, long groups) : base(nameof(VaeMidBlock))
    {
        attentions = new ModuleList<Attention>(
            new Attention(new AttentionShape(channels, 1, channels, QkvBias: true, GroupNormGroups: groups)));
        resnets = new ModuleList<ResnetBlock2D>(
            new ResnetBlock2D(channels, channels, 0, groups, 1e-6),
            new ResnetBlock2D(channels, channels, 0, groups, 1e-6));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = resnets[0].forward(input, null);
        h = attentions[0].forward(h, null);
        return resnets[1].forward(h, null).MoveToOuterDisposeScope();
    }
}
