using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Audio;

/// <summary>Bidirectional multi-head self-attention with transformers' q/k/v/out_proj names; SDPA for the kernel.</summary>
internal sealed class SelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear q_proj;
    private readonly Linear out_proj;
    private readonly int _heads;

    public SelfAttention(int width, int heads)
        : base(nameof(SelfAttention))
    {
        if (width % heads != 0)
        {
            throw new ArgumentException($"Width {width} is not divisible by {heads} heads.", nameof(heads));
        }

        _heads = heads;
        k_proj = nn.Linear(width, width);
        v_proj = nn.Linear(width, width);
        q_proj = nn.Linear(width, width);
        out_proj = nn.Linear(width, width);
        RegisterComponents();
    }

    /// <param name="input">[B, T, C]</param>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (b, t, c) = (input.shape[0], input.shape[1], input.shape[2]);
        Tensor Heads(Linear proj) => proj.forward(input).view(b, t, _heads, c / _heads).transpose(1, 2);
        // SDPA's default scale is 1/sqrt(head_dim), which is transformers' "scaling".
        var attended = nn.functional.scaled_dot_product_attention(Heads(q_proj), Heads(k_proj), Heads(v_proj));
        var merged = attended.transpose(1, 2).reshape(b, t, c);
        return out_proj.forward(merged).MoveToOuterDisposeScope();
    }
}
