using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Layers;

/// <summary>
/// diffusers/Hallo ResnetBlock2D (pre-norm, SiLU, optional time embedding, 1x1 shortcut when widths differ).
/// Hallo's ResnetBlock3D with inflated group norm is this block applied with frames folded into the batch.
/// </summary>
public sealed class ResnetBlock2D : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly GroupNorm norm1;
    private readonly Conv2d conv1;
    private readonly Linear? time_emb_proj;
    private readonly GroupNorm norm2;
    private readonly Conv2d conv2;
    private readonly Conv2d? conv_shortcut;

    /// <param name="temb">Width of the time embedding, or 0 for the VAE's blocks that have none.</param>
    public ResnetBlock2D(long inChannels, long outChannels, long temb, long groups, double eps)
        : base(nameof(ResnetBlock2D))
    {
        norm1 = Norms.GroupNorm(groups, inChannels, eps);
        conv1 = nn.Conv2d(inChannels, outChannels, 3, padding: 1);
        time_emb_proj = temb > 0 ? nn.Linear(temb, outChannels) : null;
        norm2 = Norms.GroupNorm(groups, outChannels, eps);
        conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1);
        conv_shortcut = inChannels != outChannels ? nn.Conv2d(inChannels, outChannels, 1) : null;
        RegisterComponents();
    }

    /// <param name="input">[N, C, H, W]</param>
    /// <param name="temb">[N, temb] already matching N (frames folded), or null.</param>
    public override Tensor forward(Tensor input, Tensor? temb)
    {
        using var scope = NewDisposeScope();
        var h = conv1.forward(nn.functional.silu(norm1.forward(input)));
        if (time_emb_proj is not null && temb is not null)
        {
            h = h + time_emb_proj.forward(nn.functional.silu(temb)).unsqueeze(-1).unsqueeze(-1);
        }

        h = conv2.forward(nn.functional.silu(norm2.forward(h)));
        var skip = conv_shortcut is null ? input : conv_shortcut.forward(input);
        return (skip + h).MoveToOuterDisposeScope();
    }
}
