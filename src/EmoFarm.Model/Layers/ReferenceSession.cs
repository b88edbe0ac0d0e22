using static TorchSharp.torch;

namespace EmoFarm.Model.Layers;

/// <summary>
/// State of one forward pass for Hallo's ReferenceAttentionControl. In write mode every spatial self-attention
/// records its normalised input; in read mode each one takes the next recorded tensor, in the same order, because
/// the reference UNet and the denoising UNet have the same block structure and execute their attentions in the
/// same sequence (Hallo pairs them by sorting on width, which yields the same one-to-one mapping).
/// </summary>
internal sealed class ReferenceSession
{
    private readonly IReadOnlyList<Tensor>? toRead;
    private int cursor;

    private ReferenceSession(IReadOnlyList<Tensor>? toRead, long frames, long unconditionalRows, bool tileSamples)
    {
        this.toRead = toRead;
        Frames = frames;
        UnconditionalRows = unconditionalRows;
        TileSamples = tileSamples;
    }

    public List<Tensor> Written { get; } = [];

    public bool IsWriting => toRead is null;

    /// <summary>Frames folded into each batch sample of the reading UNet.</summary>
    public long Frames { get; }

    /// <summary>Leading rows (batch·frames) that attend to themselves only: Hallo's unconditional CFG half.</summary>
    public long UnconditionalRows { get; }

    /// <summary>
    /// Hallo's tiling of the reference image's features over the reading rows: row r (= sample·frames + frame)
    /// reads sample r mod B, not its own sample. Hallo's mutual_self_attention.py builds bank_fea with
    /// <c>rearrange(d, "(b s) l c -> b s l c")[:, 0, :, :].repeat(1, video_length, 1, 1)</c>: repeating a
    /// [b, l, c] tensor with four factors tiles it, so with guidance half of the conditional frames attend to the
    /// reference as the unconditional row saw it. Off, each row reads its own sample.
    /// </summary>
    public bool TileSamples { get; }

    public static ReferenceSession ForWriting() => new(null, 1, 0, false);

    public static ReferenceSession ForReading(IReadOnlyList<Tensor> layers, long frames, long unconditionalRows, bool tileSamples) =>
        new(layers, frames, unconditionalRows, tileSamples);

    public Tensor Next()
    {
        if (toRead is null || cursor >= toRead.Count)
        {
            throw new InvalidOperationException(
                $"Reference features ran out at layer {cursor}: the reference UNet does not match this UNet.");
        }

        return toRead[cursor++];
    }

    public void EnsureConsumed()
    {
        if (toRead is not null && cursor != toRead.Count)
        {
            throw new InvalidOperationException($"Only {cursor} of {toRead.Count} reference layers were used.");
        }
    }
}
