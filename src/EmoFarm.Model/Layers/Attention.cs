using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Layers;

/// <summary>
/// diffusers <c>Attention</c> with SDPA: to_q / to_k / to_v / to_out.0. Two optional parts cover the other users
/// of the same parameter layout: <c>group_norm</c> + residual (the VAE mid-block) and <c>pos_encoder.pe</c>
/// (AnimateDiff's temporal attention, whose queries and keys see the positional encoding).
/// </summary>
public sealed class Attention : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly Linear to_q;
    private readonly Linear to_k;
    private readonly Linear to_v;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> to_out;
    private readonly GroupNorm? group_norm;
    private readonly PositionalEncoding? pos_encoder;
    private readonly long heads;

    public Attention(AttentionShape shape) : base(nameof(Attention))
    {
        ArgumentNullException.ThrowIfNull(shape);
        heads = shape.Heads;
        var inner = shape.Heads * shape.HeadDim;
        var context = shape.ContextDim ?? shape.QueryDim;
        to_q = nn.Linear(shape.QueryDim, inner, hasBias: shape.QkvBias);
        to_k = nn.Linear(context, inner, hasBias: shape.QkvBias);
        to_v = nn.Linear(context, inner, hasBias: shape.QkvBias);
        to_out = new ModuleList<nn.Module<Tensor, Tensor>>(nn.Linear(inner, shape.QueryDim), nn.Identity());
        group_norm = shape.GroupNormGroups > 0 ? Norms.GroupNorm(shape.GroupNormGroups, shape.QueryDim, 1e-6) : null;
        pos_encoder = shape.PositionalMaxLen > 0 ? new PositionalEncoding(shape.QueryDim, shape.PositionalMaxLen) : null;
        RegisterComponents();
    }

    /// <summary>
    /// Token attention: <paramref name="input"/> [N, L, C] attends to <paramref name="context"/> [N, S, Cc]
    /// (itself when null). With a group norm the input is an image [N, C, H, W] and the residual is added.
    /// </summary>
    public override Tensor forward(Tensor input, Tensor? context)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        if (group_norm is not null)
        {
            var (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
            var tokens = group_norm.forward(input).reshape(n, c, h * w).transpose(1, 2);
            var attended = Attend(tokens, tokens);
            return (attended.transpose(1, 2).reshape(n, c, h, w) + input).MoveToOuterDisposeScope();
        }

        var x = pos_encoder is null ? input : pos_encoder.forward(input);
        var kv = context ?? x;
        return Attend(x, kv).MoveToOuterDisposeScope();
    }

    private Tensor Attend(Tensor x, Tensor kv)
    {
        var (n, l) = (x.shape[0], x.shape[1]);
        var s = kv.shape[1];
        var q = to_q.forward(x);
        var headDim = q.shape[2] / heads;
        q = q.view(n, l, heads, headDim).transpose(1, 2);
        var k = to_k.forward(kv).view(n, s, heads, headDim).transpose(1, 2);
        var v = to_v.forward(kv).view(n, s, heads, headDim).transpose(1, 2);
        var o = nn.functional.scaled_dot_product_attention(q, k, v);
        o = o.transpose(1, 2).reshape(n, l, heads * headDim);
        return to_out[0].forward(o);
    }
}
