using EmoFarm.Model.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Unet;

/// <summary>AnimateDiff TemporalTransformer3DModel: group norm, linear proj_in, blocks, zero-initialised proj_out.</summary>
public sealed class TemporalTransformer : nn.Module
{
    private readonly GroupNorm norm;
    private readonly Linear proj_in;
    private readonly ModuleList<TemporalTransformerBlock> transformer_blocks;
    private readonly Linear proj_out;

    public TemporalTransformer(long channels, long heads, long maxFrames, long groups) : base(nameof(TemporalTransformer))
    {
        norm = Norms.GroupNorm(groups, channels, 1e-6);
        proj_in = nn.Linear(channels, channels);
        transformer_blocks = new ModuleList<TemporalTransformerBlock>(new TemporalTransformerBlock(channels, heads, maxFrames));
        proj_out = nn.Linear(channels, channels);
        using (no_grad())
        {
            proj_out.weight!.zero_();
            proj_out.bias!.zero_();
        }

        RegisterComponents();
    }

    /// <param name="hidden">[(b f), C, H, W]</param>
    /// <param name="frames">f</param>
    internal Tensor Forward(Tensor hidden, long frames)
    {
        using var scope = NewDisposeScope();
        var (n, c, h, w) = (hidden.shape[0], hidden.shape[1], hidden.shape[2], hidden.shape[3]);
        var x = proj_in.forward(norm.forward(hidden).permute(0, 2, 3, 1).reshape(n, h * w, c));
        foreach (var block in transformer_blocks)
        {
            x = block.Forward(x, frames);
        }

        x = proj_out.forward(x).reshape(n, h, w, c).permute(0, 3, 1, 2).contiguous();
        return (x + hidden).MoveToOuterDisposeScope();
    }
}
