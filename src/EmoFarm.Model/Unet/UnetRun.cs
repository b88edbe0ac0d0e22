using EmoFarm.Model.Layers;
using static TorchSharp.torch;

namespace EmoFarm.Model.Unet;

/// <summary>Everything one UNet forward pass hands down to its blocks; rows N = batch · frames.</summary>
internal sealed class UnetRun
{
    public required Tensor Temb { get; init; }

    public required Tensor Context { get; init; }

    public long Batch { get; init; } = 1;

    public long Frames { get; init; } = 1;

    public ReferenceSession? Reference { get; init; }

    /// <summary>[N, tokens, audioDim] or null (then audio modules are skipped).</summary>
    public Tensor? Audio { get; init; }

    public AudioRegionMasks? Masks { get; init; }

    /// <summary>Full/face/lip weights (Hallo's pose/face/lip weight), or null for 1,1,1 without scaling.</summary>
    public IReadOnlyList<double>? MotionScale { get; init; }

    public bool HalloInferenceCompat { get; init; }

    /// <summary>Per depth level [B, F, C] speed features added before each temporal module, or null.</summary>
    public IReadOnlyList<Tensor>? Speed { get; init; }

    public Tensor Mask(IReadOnlyList<Tensor> levels, int depth, long tokens, Tensor like)
    {
        if (depth >= levels.Count)
        {
            throw new ArgumentException($"Audio masks have {levels.Count} levels; depth {depth} is needed.");
        }

        var m = levels[depth];
        if (m.shape[^1] != tokens)
        {
            throw new ArgumentException($"Audio mask of level {depth} has {m.shape[^1]} tokens; {tokens} expected.");
        }

        var rows = Batch * Frames;
        m = m.reshape(-1, tokens).to(like.dtype, like.device);
        if (m.shape[0] == Batch && Batch != rows)
        {
            m = m.repeat_interleave(Frames, 0);
        }

        return m.unsqueeze(-1);
    }
}
