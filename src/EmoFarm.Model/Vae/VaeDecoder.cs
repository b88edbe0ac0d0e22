using EmoFarm.Model.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Vae;

/// <summary>diffusers Decoder: conv_in, mid block, up blocks (widest first), norm, SiLU, conv_out to RGB.</summary>
public sealed class VaeDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv_in;
    private readonly VaeMidBlock mid_block;
    private readonly ModuleList<VaeUpBlock> up_blocks = new();
    private readonly GroupNorm conv_norm_out;
    private readonly Conv2d conv_out;

    public VaeDecoder(VaeConfig config) : base(nameof(VaeDecoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        var rc = config.BlockOutChannels.Reverse().ToArray();
        conv_in = nn.Conv2d(config.LatentChannels, rc[0], 3, padding: 1);
        mid_block = new VaeMidBlock(rc[0], config.NormGroups);
        for (var i = 0; i < rc.Length; i++)
        {
            var input = i == 0 ? rc[0] : rc[i - 1];
            up_blocks.Add(new VaeUpBlock(input, rc[i], config.LayersPerBlock + 1, config.NormGroups, i < rc.Length - 1));
        }

        conv_norm_out = Norms.GroupNorm(config.NormGroups, rc[^1], 1e-6);
        conv_out = nn.Conv2d(rc[^1], 3, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = mid_block.forward(conv_in.forward(input));
        foreach (var u in up_blocks)
        {
            h = u.forward(h);
        }

        return conv_out.forward(nn.functional.silu(conv_norm_out.forward(h))).MoveToOuterDisposeScope();
    }
}
