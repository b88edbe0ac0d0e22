using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Layers;

/// <summary>
/// SD1.5 transformer block (self-attention, cross-attention, GEGLU) with Hallo's reference-attention hook:
/// when a reference session reads, the self-attention keys/values are the frame's own tokens followed by the
/// reference image's tokens of the matching reference-UNet layer.
/// </summary>
public sealed class BasicTransformerBlock : nn.Module
{
    private readonly LayerNorm norm1;
    private readonly Attention attn1;
    private readonly LayerNorm norm2;
    private readonly Attention attn2;
    private readonly LayerNorm norm3;
    private readonly FeedForward ff;

    public BasicTransformerBlock(long dim, long heads, long crossAttentionDim) : base(nameof(BasicTransformerBlock))
    {
        norm1 = Norms.LayerNorm(dim);
        attn1 = new Attention(new AttentionShape(dim, heads, dim / heads));
        norm2 = Norms.LayerNorm(dim);
        attn2 = new Attention(new AttentionShape(dim, heads, dim / heads, crossAttentionDim));
        norm3 = Norms.LayerNorm(dim);
        ff = new FeedForward(dim);
        RegisterComponents();
    }

    /// <returns>The block output and, in read mode with motion frames, their reference features [b, n, L, C].</returns>
    internal (Tensor Hidden, Tensor? Motion) Forward(Tensor hidden, Tensor context, ReferenceSession? session)
    {
        using var scope = NewDisposeScope();
        var norm = norm1.forward(hidden);
        Tensor? motion = null;
        Tensor h;
        if (session is null)
        {
            h = attn1.forward(norm, null) + hidden;
        }
        else if (session.IsWriting)
        {
            session.Written.Add(norm.clone().DetachFromDisposeScope());
            h = attn1.forward(norm, null) + hidden;
        }
        else
        {
            (h, motion) = ReadReference(hidden, norm, session);
        }

        h = attn2.forward(norm2.forward(h), context) + h;
        h = ff.forward(norm3.forward(h)) + h;
        motion?.MoveToOuterDisposeScope();
        return (h.MoveToOuterDisposeScope(), motion);
    }

    private (Tensor Hidden, Tensor? Motion) ReadReference(Tensor hidden, Tensor norm, ReferenceSession session)
    {
        var bank = session.Next();
        var rows = norm.shape[0];
        var frames = session.Frames;
        var batch = rows / frames;
        var (tokens, width) = (bank.shape[1], bank.shape[2]);
        if (bank.shape[0] % batch != 0 || tokens != norm.shape[1] || width != norm.shape[2])
        {
            throw new ArgumentException(
                $"Reference layer [{string.Join(",", bank.shape)}] does not fit [{string.Join(",", norm.shape)}] with {frames} frames.");
        }

        var slots = bank.shape[0] / batch;
        var grouped = bank.to(norm.dtype).view(batch, slots, tokens, width);
        var reference = session.TileSamples
            ? grouped[TensorIndex.Colon, 0].repeat(frames, 1, 1)
            : grouped[TensorIndex.Colon, 0].unsqueeze(1).expand(batch, frames, tokens, width).reshape(rows, tokens, width);
        var motion = slots > 1 ? grouped[TensorIndex.Colon, TensorIndex.Slice(1, null)] : null;

        var u = session.UnconditionalRows;
        Tensor attended;
        if (u <= 0)
        {
            attended = attn1.forward(norm, cat([norm, reference], 1));
        }
        else
        {
            var selfOnly = norm[TensorIndex.Slice(0, u)];
            var withRef = norm[TensorIndex.Slice(u, null)];
            attended = cat(
            [
                attn1.forward(selfOnly, null),
                attn1.forward(withRef, cat([withRef, reference[TensorIndex.Slice(u, null)]], 1)),
            ], 0);
        }

        return (attended + hidden, motion);
    }
}
