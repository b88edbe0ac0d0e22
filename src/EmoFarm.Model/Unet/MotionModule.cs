using static TorchSharp.torch;

namespace EmoFarm.Model.Unet;

/// <summary>
/// AnimateDiff VanillaTemporalModule (<c>motion_modules.i.temporal_transformer</c>). Frames are folded into the
/// batch; optional leading motion-frame features are prepended along the frame axis and dropped afterwards.
/// </summary>
public sealed class MotionModule : nn.Module
{
    private readonly TemporalTransformer temporal_transformer;

    /// <summary>
    /// Hallo's motion_module.py builds TemporalTransformer3DModel without passing norm_num_groups, so its GroupNorm
    /// always has the default 32 groups, whatever the UNet's own norm groups are.
    /// </summary>
    public const long NormGroups = 32;

    public MotionModule(long channels, long heads, long maxFrames) : base(nameof(MotionModule))
    {
        temporal_transformer = new TemporalTransformer(channels, heads, maxFrames, NormGroups);
        RegisterComponents();
    }

    /// <param name="hidden">[(b f), C, H, W]</param>
    /// <param name="prepend">[b, n, C, H, W] motion-frame features or null.</param>
    /// <param name="speed">[b, f, C] speed features added to the clip frames, or null.</param>
    /// <param name="batch">b</param>
    /// <param name="frames">f</param>
    internal Tensor Forward(Tensor hidden, Tensor? prepend, Tensor? speed, long batch, long frames)
    {
        using var scope = NewDisposeScope();
        var (c, h, w) = (hidden.shape[1], hidden.shape[2], hidden.shape[3]);
        var x = hidden;
        if (speed is not null)
        {
            x = x + speed.to(x.dtype).reshape(batch * frames, c, 1, 1);
        }

        if (prepend is null)
        {
            return temporal_transformer.Forward(x, frames).MoveToOuterDisposeScope();
        }

        var n = prepend.shape[1];
        var joined = cat([prepend.to(x.dtype), x.view(batch, frames, c, h, w)], 1).reshape(batch * (n + frames), c, h, w);
        var y = temporal_transformer.Forward(joined, n + frames).view(batch, n + frames, c, h, w);
        return y[TensorIndex.Colon, TensorIndex.Slice(n, null)].reshape(batch * frames, c, h, w).contiguous().MoveToOuterDisposeScope();
    }
}
