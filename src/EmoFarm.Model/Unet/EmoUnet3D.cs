using EmoFarm.Model.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Unet;

/// <summary>
/// Hallo's UNet3DConditionModel (<c>denoising_unet.</c>): SD1.5 spatial blocks with reference attention, audio
/// modules, AnimateDiff motion modules, frames folded into the batch. Predicts v (Hallo) for [B, 4, F, h, w].
/// </summary>
public sealed class EmoUnet3D : nn.Module<EmoUnetInputs, Tensor>
{
    private readonly Conv2d conv_in;
    private readonly TimestepEmbedding time_embedding;
    private readonly ModuleList<UnetDownBlock> down_blocks = new();
    private readonly ModuleList<UnetUpBlock> up_blocks = new();
    private readonly UnetMidBlock mid_block;
    private readonly GroupNorm conv_norm_out;
    private readonly Conv2d conv_out;
    private readonly UnetConfig config;

    public EmoUnet3D(UnetConfig config) : base(nameof(EmoUnet3D))
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        var ch = config.BlockOutChannels;
        conv_in = nn.Conv2d(config.InChannels, ch[0], 3, padding: 1);
        time_embedding = new TimestepEmbedding(ch[0], config.TimeEmbedDim);
        for (var i = 0; i < config.Levels; i++)
        {
            down_blocks.Add(new UnetDownBlock(config, i, UnetParts.Hallo3D));
            up_blocks.Add(new UnetUpBlock(config, i, UnetParts.Hallo3D));
        }

        mid_block = new UnetMidBlock(config, UnetParts.Hallo3D);
        conv_norm_out = Norms.GroupNorm(config.NormGroups, ch[0], config.NormEps);
        conv_out = nn.Conv2d(ch[0], config.OutChannels, 3, padding: 1);
        RegisterComponents();
    }

    public UnetConfig Config => config;

    /// <summary>
    /// Follow the branch Hallo's published results come from (its blocks' training+checkpointing branch):
    /// motion modules of the plain blocks (down_blocks.3, up_blocks.0) unused, motion-frame features prepended
    /// before every cross-attention block's motion module, motion scale applied in all audio modules, and the
    /// reference features tiled over the rows (<see cref="Layers.ReferenceSession.TileSamples"/>). Default on,
    /// which is right for Hallo checkpoints; off gives Hallo's eval branch.
    /// </summary>
    public bool HalloInferenceCompat { get; set; } = true;

    public override Tensor forward(EmoUnetInputs input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var sample = input.Sample;
        if (sample.dim() != 5)
        {
            throw new ArgumentException($"Sample must be [B, C, F, h, w]; got [{string.Join(",", sample.shape)}].", nameof(input));
        }

        using var scope = NewDisposeScope();
        var (b, c, f, h, w) = (sample.shape[0], sample.shape[1], sample.shape[2], sample.shape[3], sample.shape[4]);
        var rows = b * f;
        var x = sample.permute(0, 2, 1, 3, 4).reshape(rows, c, h, w).contiguous();
        var temb = UnetPass.TimeEmbedding(time_embedding, config, input.Timestep, b, x).repeat_interleave(f, 0);
        var context = input.EncoderHiddenStates.to(x.dtype).repeat_interleave(f, 0);
        var audio = input.AudioTokens?.to(x.dtype).reshape(rows, input.AudioTokens.shape[2], input.AudioTokens.shape[3]);
        var reference = input.Reference is null
            ? null
            : ReferenceSession.ForReading(input.Reference.Layers, f, input.UnconditionalBatch * f, HalloInferenceCompat);
        var run = new UnetRun
        {
            Temb = temb,
            Context = context,
            Batch = b,
            Frames = f,
            Reference = reference,
            Audio = audio,
            Masks = input.AudioMasks,
            MotionScale = input.MotionScale,
            HalloInferenceCompat = HalloInferenceCompat,
            Speed = input.Speed,
        };

        var hidden = conv_in.forward(x);
        if (input.FaceLocatorOut is { } face)
        {
            hidden = hidden + FoldFace(face.to(x.dtype), b, f);
        }

        hidden = UnetPass.Body(down_blocks, mid_block, up_blocks, hidden, run);
        var output = conv_out.forward(nn.functional.silu(conv_norm_out.forward(hidden)));
        return output.reshape(b, f, config.OutChannels, h, w).permute(0, 2, 1, 3, 4).contiguous().MoveToOuterDisposeScope();
    }

    private static Tensor FoldFace(Tensor face, long b, long f)
    {
        if (face.dim() == 4)
        {
            return face.repeat_interleave(f, 0);
        }

        return face.permute(0, 2, 1, 3, 4).reshape(b * f, face.shape[1], face.shape[3], face.shape[4]).contiguous();
    }
}
