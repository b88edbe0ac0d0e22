using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Layers;

/// <summary>
/// SD1.5 spatial transformer: group norm, 1x1-conv proj_in, one <see cref="BasicTransformerBlock"/>, 1x1-conv
/// proj_out, residual. Hallo's Transformer3DModel is this with frames folded into the batch.
/// </summary>
public sealed class Transformer2DModel : nn.Module
{
    private readonly GroupNorm norm;
    private readonly Conv2d proj_in;
    private readonly ModuleList<BasicTransformerBlock> transformer_blocks;
    private readonly Conv2d proj_out;

    public Transformer2DModel(long channels, long heads, long crossAttentionDim, long groups)
        : base(nameof(Transformer2DModel))
    {
        norm = Norms.GroupNorm(groups, channels, 1e-6);
        proj_in = nn.Conv2d(channels, channels, 1);
        transformer_blocks = new ModuleList<BasicTransformerBlock>(new BasicTransformerBlock(channels, heads, crossAttentionDim));
        proj_out = nn.Conv2d(channels, channels, 1);
        RegisterComponents();
    }

    /// <param name="hidden">[N, C, H, W]</param>
    /// <param name="context">[N, T, D] (already repeated per frame).</param>
    /// <param name="session">Reference session or null.</param>
    /// <returns>Output and, when reading motion frames, their reference features as [b, n, C, H, W].</returns>
    internal (Tensor Hidden, Tensor? Motion) Forward(Tensor hidden, Tensor context, ReferenceSession? session)
    {
        using var scope = NewDisposeScope();
        var (n, c, h, w) = (hidden.shape[0], hidden.shape[1], hidden.shape[2], hidden.shape[3]);
        var x = proj_in.forward(norm.forward(hidden)).permute(0, 2, 3, 1).reshape(n, h * w, c);
        Tensor? motion = null;
        foreach (var block in transformer_blocks)
        {
            var (next, m) = block.Forward(x, context, session);
            x = next;
            motion ??= m;
        }

        // contiguous(): libtorch 2.10's CPU convolution returns wrong values for some channels-last-strided inputs
        // (found by the diffusers parity run: 46% error at 320 channels, 4x4), so no conv may see a permuted view.
        x = proj_out.forward(x.reshape(n, h, w, c).permute(0, 3, 1, 2).contiguous()) + hidden;
        var motionImage = motion?.permute(0, 1, 3, 2).reshape(motion.shape[0], motion.shape[1], c, h, w).contiguous();
        motionImage?.MoveToOuterDisposeScope();
        return (x.MoveToOuterDisposeScope(), motionImage);
    }
}
