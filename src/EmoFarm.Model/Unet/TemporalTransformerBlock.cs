using EmoFarm.Model.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Unet;

/// <summary>AnimateDiff temporal block: two temporal self-attentions (each pre-normed) and a GEGLU feed-forward.</summary>
public sealed class TemporalTransformerBlock : nn.Module
{
    private readonly ModuleList<Attention> attention_blocks;
    private readonly ModuleList<LayerNorm> norms;
    private readonly FeedForward ff;
    private readonly LayerNorm ff_norm;

    public TemporalTransformerBlock(long dim, long heads, long maxFrames) : base(nameof(TemporalTransformerBlock))
    {
        var shape = new AttentionShape(dim, heads, dim / heads, PositionalMaxLen: maxFrames);
        attention_blocks = new ModuleList<Attention>(new Attention(shape), new Attention(shape));
        norms = new ModuleList<LayerNorm>(Norms.LayerNorm(dim), Norms.LayerNorm(dim));
        ff = new FeedForward(dim);
        ff_norm = Norms.LayerNorm(dim);
        RegisterComponents();
    }

    /// <param name="hidden">[(b f), d, c] spatial tokens of every frame.</param>
    internal Tensor Forward(Tensor hidden, long frames)
    {
        using var scope = NewDisposeScope();
        var (rows, d, c) = (hidden.shape[0], hidden.shape[1], hidden.shape[2]);
        var b = rows / frames;
        var h = hidden;
        for (var i = 0; i < attention_blocks.Count; i++)
        {
            var x = norms[i].forward(h).view(b, frames, d, c).permute(0, 2, 1, 3).reshape(b * d, frames, c);
            var a = attention_blocks[i].forward(x, null).view(b, d, frames, c).permute(0, 2, 1, 3).reshape(rows, d, c);
            h = a + h;
        }

        h = ff.forward(ff_norm.forward(h)) + h;
        return h.MoveToOuterDisposeScope();
    }
}
