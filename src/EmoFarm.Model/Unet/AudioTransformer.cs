using EmoFarm.Model.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Unet;

/// <summary>
/// One entry of <c>audio_modules</c>: Hallo's Transformer3DModel with use_audio_module. Its inner width is the
/// input width of the enclosing layer (not always the block width), so proj_in/proj_out change width.
/// </summary>
public sealed class AudioTransformer : nn.Module
{
    private readonly GroupNorm norm;
    private readonly Conv2d proj_in;
    private readonly ModuleList<AudioTransformerBlock> transformer_blocks;
    private readonly Conv2d proj_out;

    public AudioTransformer(long channels, long inner, long heads, long audioDim, long groups, int depth)
        : base(nameof(AudioTransformer))
    {
        norm = Norms.GroupNorm(groups, channels, 1e-6);
        proj_in = nn.Conv2d(channels, inner, 1);
        transformer_blocks = new ModuleList<AudioTransformerBlock>(new AudioTransformerBlock(inner, heads, audioDim, depth));
        proj_out = nn.Conv2d(inner, channels, 1);
        RegisterComponents();
    }

    internal Tensor Forward(Tensor hidden, UnetRun run, bool scaled)
    {
        using var scope = NewDisposeScope();
        var (n, h, w) = (hidden.shape[0], hidden.shape[2], hidden.shape[3]);
        var x = proj_in.forward(norm.forward(hidden));
        var inner = x.shape[1];
        x = x.permute(0, 2, 3, 1).reshape(n, h * w, inner);
        foreach (var block in transformer_blocks)
        {
            x = block.Forward(x, h, w, run, scaled);
        }

        x = proj_out.forward(x.reshape(n, h, w, inner).permute(0, 3, 1, 2).contiguous());
        return (x + hidden).MoveToOuterDisposeScope();
    }
}
