using EmoFarm.Model.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Unet;

/// <summary>
/// Hallo's AudioTemporalBasicTransformerBlock: spatial self-attention, then three audio cross-attentions whose
/// outputs are masked to the full frame, the face and the lips, each through a zero-initialised 1x1 conv.
/// </summary>
public sealed class AudioTransformerBlock : nn.Module
{
    private readonly Conv2d zero_conv_full;
    private readonly Conv2d zero_conv_face;
    private readonly Conv2d zero_conv_lip;
    private readonly Attention attn1;
    private readonly LayerNorm norm1;
    private readonly Attention attn2_0;
    private readonly Attention attn2_1;
    private readonly Attention attn2_2;
    private readonly LayerNorm norm2;
    private readonly FeedForward ff;
    private readonly LayerNorm norm3;
    private readonly int depth;

    public AudioTransformerBlock(long dim, long heads, long audioDim, int depth) : base(nameof(AudioTransformerBlock))
    {
        this.depth = depth;
        zero_conv_full = ZeroConv(dim);
        zero_conv_face = ZeroConv(dim);
        zero_conv_lip = ZeroConv(dim);
        attn1 = new Attention(new AttentionShape(dim, heads, dim / heads));
        norm1 = Norms.LayerNorm(dim);
        attn2_0 = new Attention(new AttentionShape(dim, heads, dim / heads, audioDim));
        attn2_1 = new Attention(new AttentionShape(dim, heads, dim / heads, audioDim));
        attn2_2 = new Attention(new AttentionShape(dim, heads, dim / heads, audioDim));
        norm2 = Norms.LayerNorm(dim);
        ff = new FeedForward(dim);
        norm3 = Norms.LayerNorm(dim);
        RegisterComponents();
    }

    /// <param name="hidden">[N, L, C] tokens of an h x w map.</param>
    internal Tensor Forward(Tensor hidden, long height, long width, UnetRun run, bool scaled)
    {
        using var scope = NewDisposeScope();
        var h = attn1.forward(norm1.forward(hidden), null) + hidden;
        var norm = norm2.forward(h);
        var audio = run.Audio!;
        var tokens = height * width;
        var full = Branch(attn2_0, zero_conv_full, norm, audio, Mask(run.Masks?.Full), height, width);
        var face = Branch(attn2_1, zero_conv_face, norm, audio, Mask(run.Masks?.Face), height, width);
        var lip = Branch(attn2_2, zero_conv_lip, norm, audio, Mask(run.Masks?.Lip), height, width);
        var scale = scaled ? run.MotionScale : null;
        h = scale is null
            ? full + face + lip + h
            : (full * scale[0]) + (face * scale[1]) + (lip * scale[2]) + h;
        h = ff.forward(norm3.forward(h)) + h;
        return h.MoveToOuterDisposeScope();

        Tensor? Mask(IReadOnlyList<Tensor>? levels) =>
            levels is null ? null : run.Mask(levels, depth, tokens, hidden);
    }

    private static Tensor Branch(Attention attn, Conv2d conv, Tensor norm, Tensor audio, Tensor? mask, long height, long width)
    {
        var a = attn.forward(norm, audio);
        if (mask is not null)
        {
            a = a * mask;
        }

        var (n, c) = (a.shape[0], a.shape[2]);
        var image = a.reshape(n, height, width, c).permute(0, 3, 1, 2).contiguous();
        return conv.forward(image).permute(0, 2, 3, 1).reshape(n, height * width, c);
    }

    private static Conv2d ZeroConv(long dim)
    {
        var conv = nn.Conv2d(dim, dim, 1);
        using (no_grad())
        {
            conv.weight!.zero_();
            conv.bias!.zero_();
        }

        return conv;
    }
}
