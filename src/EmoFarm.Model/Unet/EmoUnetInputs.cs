using static TorchSharp.torch;

namespace EmoFarm.Model.Unet;

/// <summary>
/// One denoising step's inputs for <see cref="EmoUnet3D"/>. B is the batch (2 with classifier-free guidance,
/// unconditional first), F the clip's frames. The caller owns every tensor.
/// </summary>
public sealed record EmoUnetInputs
{
    /// <summary>[B, 4, F, h, w] noisy latents (already scaled by the scheduler).</summary>
    public required Tensor Sample { get; init; }

    /// <summary>Scalar or [B].</summary>
    public required Tensor Timestep { get; init; }

    /// <summary>[B, T, 768] image-projection tokens (face embedding through <c>imageproj</c>).</summary>
    public required Tensor EncoderHiddenStates { get; init; }

    /// <summary>[B, F, tokens, audioDim] audio-projection tokens (32 x 768 for Hallo), or null to skip audio.</summary>
    public Tensor? AudioTokens { get; init; }

    /// <summary>
    /// ReferenceNet output for the same B (its motion-frame slots are the previous clip's last frames; they enter
    /// the temporal modules). Null runs without reference attention.
    /// </summary>
    public ReferenceFeatures? Reference { get; init; }

    /// <summary>Leading batch samples that ignore the reference (Hallo's unconditional CFG half). Usually B/2 or 0.</summary>
    public long UnconditionalBatch { get; init; }

    /// <summary>Face locator output [B, C0, h, w] (same for all frames) or [B, C0, F, h, w], added after conv_in.</summary>
    public Tensor? FaceLocatorOut { get; init; }

    /// <summary>Region masks per depth level; null means masks of ones.</summary>
    public AudioRegionMasks? AudioMasks { get; init; }

    /// <summary>Hallo's [pose, face, lip] weights for the audio branches; null means no scaling.</summary>
    public IReadOnlyList<double>? MotionScale { get; init; }

    /// <summary>EMO speed features (<see cref="Conditioning.SpeedEmbedding"/> output), or null.</summary>
    public IReadOnlyList<Tensor>? Speed { get; init; }
}
