using EmoFarm.Model.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Vae;

/// <summary>diffusers Encoder: conv_in, down blocks, mid block, norm, SiLU, conv_out to mean and log-variance.</summary>
public sealed class VaeEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv_in;
    private readonly ModuleList<VaeDownBlock> down_blocks = new();
    private readonly VaeMidBlock mid_block;
    private readonly GroupNorm conv_norm_out;
    private readonly Conv2d conv_out;

    public VaeEncoder(VaeConfig config) : base(nameof(VaeEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        var ch = config.BlockOutChannels;
        conv_in = nn.Conv2d(3, ch[0], 3, padding: 1);
        for (var i = 0; i < ch.Count; i++)
        {
            var input = i == 0 ? ch[0] : ch[i - 1];
            down_blocks.Add(new VaeDownBlock(input, ch[i], config.LayersPerBlock, config.NormGroups, i < ch.Count - 1));
        }

        mid_block = new VaeMidBlock(ch[^1], config.NormGroups);
        conv_norm_out = Norms.GroupNorm(config.NormGroups, ch[^1], 1e-6);
        conv_out = nn.Conv2d(ch[^1], 2 * config.LatentChannels, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = conv_in.forward(input);
        foreach (var d in down_blocks)
        {
            h = d.forward(h);
        }

        h = mid_block.forward(h);
        return conv_out.forward(nn.functional.silu(conv_norm_out.forward(h))).MoveToOuterDisposeScope();
    }
}
