using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Vae;

/// <summary>
/// diffusers AutoencoderKL (sd-vae-ft-mse layout: encoder, decoder, quant_conv, post_quant_conv).
/// Encoding is deterministic: it returns the posterior mean, as Hallo does for its reference image.
/// </summary>
public sealed class AutoencoderKL : nn.Module<Tensor, Tensor>
{
    private readonly VaeEncoder encoder;
    private readonly VaeDecoder decoder;
    private readonly Conv2d quant_conv;
    private readonly Conv2d post_quant_conv;
    private readonly VaeConfig config;

    public AutoencoderKL(VaeConfig config) : base(nameof(AutoencoderKL))
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        encoder = new VaeEncoder(config);
        decoder = new VaeDecoder(config);
        quant_conv = nn.Conv2d(2 * config.LatentChannels, 2 * config.LatentChannels, 1);
        post_quant_conv = nn.Conv2d(config.LatentChannels, config.LatentChannels, 1);
        RegisterComponents();
    }

    public VaeConfig Config => config;

    /// <summary>
    /// Checkpoint renames for <see cref="Checkpoints.CheckpointLoader"/>: VAEs saved by diffusers before 0.15
    /// (sd-vae-ft-mse was uploaded with 0.4) name the mid-block attention's projections query / key / value /
    /// proj_attn; diffusers itself renames them on load (_convert_deprecated_attention_blocks). Same shapes.
    /// </summary>
    public static IReadOnlyDictionary<string, string> CheckpointRenames { get; } = new Dictionary<string, string>
    {
        ["attentions.0.query."] = "attentions.0.to_q.",
        ["attentions.0.key."] = "attentions.0.to_k.",
        ["attentions.0.value."] = "attentions.0.to_v.",
        ["attentions.0.proj_attn."] = "attentions.0.to_out.0.",
    };

    /// <summary>Encode then decode (tests and debugging).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var latents = Encode(input);
        return Decode(latents, int.MaxValue).MoveToOuterDisposeScope();
    }

    /// <param name="images">[N, 3, H, W] in [-1, 1]; H and W multiples of the downscale factor.</param>
    /// <returns>[N, 4, H/8, W/8] posterior mean times the scaling factor (0.18215).</returns>
    public Tensor Encode(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        var moments = quant_conv.forward(encoder.forward(images));
        var mean = moments.narrow(1, 0, config.LatentChannels);
        return (mean * config.ScalingFactor).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Decodes scaled latents <paramref name="chunkFrames"/> images at a time, so peak activation memory is that
    /// of one chunk whatever the clip length. Output is the raw decoder range (about [-1, 1], not clamped).
    /// </summary>
    /// <param name="latents">[N, 4, h, w] or [B, 4, F, h, w].</param>
    /// <param name="chunkFrames">Images per decoder call (≥ 1).</param>
    /// <returns>[N, 3, H, W] or [B, 3, F, H, W].</returns>
    public Tensor Decode(Tensor latents, int chunkFrames)
    {
        ArgumentNullException.ThrowIfNull(latents);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkFrames, 1);
        using var scope = NewDisposeScope();
        var video = latents.dim() == 5;
        var (b, f) = video ? (latents.shape[0], latents.shape[2]) : (latents.shape[0], 1L);
        var flat = video
            ? latents.permute(0, 2, 1, 3, 4).reshape(b * f, latents.shape[1], latents.shape[3], latents.shape[4]).contiguous()
            : latents;
        var parts = new List<Tensor>();
        for (long start = 0; start < flat.shape[0]; start += chunkFrames)
        {
            using var chunkScope = NewDisposeScope();
            var len = Math.Min(chunkFrames, flat.shape[0] - start);
            var z = flat.narrow(0, start, len) / config.ScalingFactor;
            parts.Add(decoder.forward(post_quant_conv.forward(z)).MoveToOuterDisposeScope());
        }

        var images = cat(parts, 0);
        if (video)
        {
            images = images.reshape(b, f, 3, images.shape[2], images.shape[3]).permute(0, 2, 1, 3, 4).contiguous();
        }

        return images.MoveToOuterDisposeScope();
    }
}
