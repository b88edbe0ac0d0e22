using static TorchSharp.torch;

namespace EmoFarm.Model.Sampling;

/// <summary>
/// Classifier-free guidance. The denoiser runs once per condition set, usually batched along dim 0;
/// these combine the predictions.
/// </summary>
public static class Guidance
{
    /// <summary>Standard CFG (what Hallo uses): uncond + scale * (cond - uncond).</summary>
    public static Tensor Combine(Tensor uncond, Tensor cond, double scale)
    {
        ArgumentNullException.ThrowIfNull(uncond);
        ArgumentNullException.ThrowIfNull(cond);
        using var scope = NewDisposeScope();
        return (uncond + ((cond - uncond) * scale)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Two-scale CFG over nested conditions: the reference image pulls from "no conditions" to "reference only",
    /// and audio pulls from "reference only" to "reference and audio":
    /// uncond + referenceScale * (reference - uncond) + audioScale * (full - reference).
    /// With both scales equal this is <see cref="Combine(Tensor, Tensor, double)"/> of uncond and full.
    /// </summary>
    public static Tensor Combine(Tensor uncond, Tensor reference, Tensor full, double referenceScale, double audioScale)
    {
        ArgumentNullException.ThrowIfNull(uncond);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(full);
        using var scope = NewDisposeScope();
        var result = uncond + ((reference - uncond) * referenceScale) + ((full - reference) * audioScale);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Splits a batch laid out as [uncond; cond] along dim 0 and applies <see cref="Combine(Tensor, Tensor, double)"/>.</summary>
    public static Tensor CombineBatched(Tensor batched, double scale)
    {
        ArgumentNullException.ThrowIfNull(batched);
        using var scope = NewDisposeScope();
        var parts = SplitEven(batched, 2);
        return Combine(parts[0], parts[1], scale).MoveToOuterDisposeScope();
    }

    /// <summary>Splits a batch laid out as [uncond; reference; full] along dim 0 and applies the two-scale combine.</summary>
    public static Tensor CombineBatched(Tensor batched, double referenceScale, double audioScale)
    {
        ArgumentNullException.ThrowIfNull(batched);
        using var scope = NewDisposeScope();
        var parts = SplitEven(batched, 3);
        return Combine(parts[0], parts[1], parts[2], referenceScale, audioScale).MoveToOuterDisposeScope();
    }

    private static Tensor[] SplitEven(Tensor batched, int parts)
    {
        var n = batched.shape[0];
        if (n % parts != 0)
        {
            throw new ArgumentException($"Batch of {n} cannot be split into {parts} equal guidance groups.", nameof(batched));
        }

        return batched.chunk(parts, 0);
    }
}
