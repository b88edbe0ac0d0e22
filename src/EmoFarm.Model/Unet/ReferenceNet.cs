using EmoFarm.Model.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Unet;

/// <summary>
/// SD1.5 UNet2DConditionModel (<c>reference_unet.</c>). As Hallo's ReferenceNet it has no conv_norm_out/conv_out
/// and only yields the inputs of its self-attentions; with <c>outputHead</c> it is the full SD1.5 UNet (parity).
/// </summary>
public sealed class ReferenceNet : nn.Module<Tensor, Tensor, Tensor, ReferenceFeatures>
{
    private readonly Conv2d conv_in;
    private readonly TimestepEmbedding time_embedding;
    private readonly ModuleList<UnetDownBlock> down_blocks = new();
    private readonly ModuleList<UnetUpBlock> up_blocks = new();
    private readonly UnetMidBlock mid_block;
    private readonly GroupNorm? conv_norm_out;
    private readonly Conv2d? conv_out;
    private readonly UnetConfig config;

    public ReferenceNet(UnetConfig config, bool outputHead = false) : base(nameof(ReferenceNet))
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        var ch = config.BlockOutChannels;
        conv_in = nn.Conv2d(config.InChannels, ch[0], 3, padding: 1);
        time_embedding = new TimestepEmbedding(ch[0], config.TimeEmbedDim);
        for (var i = 0; i < config.Levels; i++)
        {
            down_blocks.Add(new UnetDownBlock(config, i, UnetParts.Spatial));
            up_blocks.Add(new UnetUpBlock(config, i, UnetParts.Spatial));
        }

        mid_block = new UnetMidBlock(config, UnetParts.Spatial);
        if (outputHead)
        {
            conv_norm_out = Norms.GroupNorm(config.NormGroups, ch[0], config.NormEps);
            conv_out = nn.Conv2d(ch[0], config.OutChannels, 3, padding: 1);
        }

        RegisterComponents();
    }

    public UnetConfig Config => config;

    /// <summary>
    /// Hallo's inference feeds B encoder states for B·(1+n) reference rows and tiles them (row r gets state
    /// r mod B) instead of giving each sample its own. On (default) reproduces that; off repeats each sample's state.
    /// </summary>
    public bool HalloInferenceCompat { get; set; } = true;

    /// <summary>
    /// Runs the reference image (and the previous clip's motion frames) once per clip.
    /// </summary>
    /// <param name="latent">[B, 4, h, w] reference latents, or [B, 4, 1+n, h, w] with n motion-frame latents after
    /// the reference along axis 2 (VAE-encoded and scaled like the reference).</param>
    /// <param name="timestep">Scalar or [B]; Hallo uses 0.</param>
    /// <param name="encoderHiddenStates">[B or B·(1+n), T, 768] image-projection tokens.</param>
    public override ReferenceFeatures forward(Tensor latent, Tensor timestep, Tensor encoderHiddenStates)
    {
        ArgumentNullException.ThrowIfNull(latent);
        ArgumentNullException.ThrowIfNull(encoderHiddenStates);
        using var scope = NewDisposeScope();
        var batch = latent.shape[0];
        var slots = latent.dim() == 5 ? latent.shape[2] : 1;
        var rows = batch * slots;
        var x = latent.dim() == 5
            ? latent.permute(0, 2, 1, 3, 4).reshape(rows, latent.shape[1], latent.shape[3], latent.shape[4]).contiguous()
            : latent;
        var session = ReferenceSession.ForWriting();
        Run(x, timestep, ExpandContext(encoderHiddenStates, batch, rows), session);
        return new ReferenceFeatures(session.Written, batch, slots - 1);
    }

    /// <summary>Full UNet prediction [B, 4, h, w] (needs <c>outputHead</c>); used for parity with diffusers.</summary>
    public Tensor Predict(Tensor sample, Tensor timestep, Tensor encoderHiddenStates)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (conv_norm_out is null || conv_out is null)
        {
            throw new InvalidOperationException("This ReferenceNet was built without conv_norm_out/conv_out.");
        }

        using var scope = NewDisposeScope();
        var h = Run(sample, timestep, encoderHiddenStates, null);
        return conv_out.forward(nn.functional.silu(conv_norm_out.forward(h))).MoveToOuterDisposeScope();
    }

    private Tensor Run(Tensor x, Tensor timestep, Tensor context, ReferenceSession? session)
    {
        var temb = UnetPass.TimeEmbedding(time_embedding, config, timestep, x.shape[0], x);
        var run = new UnetRun { Temb = temb, Context = context.to(x.dtype), Batch = x.shape[0], Reference = session };
        return UnetPass.Body(down_blocks, mid_block, up_blocks, conv_in.forward(x), run);
    }

    private Tensor ExpandContext(Tensor context, long batch, long rows)
    {
        if (context.shape[0] == rows)
        {
            return context;
        }

        if (rows % context.shape[0] != 0)
        {
            throw new ArgumentException($"{context.shape[0]} encoder states cannot cover {rows} reference rows.");
        }

        var times = rows / context.shape[0];
        return HalloInferenceCompat || context.shape[0] != batch
            ? context.repeat(times, 1, 1)
            : context.repeat_interleave(times, 0);
    }
}
