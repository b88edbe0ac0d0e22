namespace EmoFarm.Farm.Vocals;

/// <summary>
/// How MDXSeparator.demix cuts a mix of <see cref="Samples"/> samples: trim = n_fft / 2 zeros before it and
/// pad = gen_size + trim − samples % gen_size after it, then chunks of hop · (segment − 1) samples every
/// int((1 − overlap) · chunk) samples, the last one shorter where the padded mix ends.
/// </summary>
internal sealed record MdxChunkPlan(int Samples, int Trim, int ChunkSize, int Pad, int Step)
{
    public static MdxChunkPlan For(int samples, int nFft, int hopLength, int segmentSize, double overlap)
    {
        var trim = nFft / 2;
        var chunkSize = hopLength * (segmentSize - 1);
        var genSize = chunkSize - 2 * trim;
        var pad = genSize + trim - samples % genSize;
        return new MdxChunkPlan(samples, trim, chunkSize, pad, (int)((1 - overlap) * chunkSize));
    }

    /// <summary>trim + samples + pad: the padded mix the chunks cover.</summary>
    public long MixtureLength => (long)Trim + Samples + Pad;

    /// <summary>len(range(0, mixture length, step)).</summary>
    public int Chunks => (int)((MixtureLength + Step - 1) / Step);

    public long Start(int chunk) => (long)chunk * Step;

    /// <summary>end − start: the samples of this chunk inside the padded mix (the model still sees a whole chunk, zero-padded).</summary>
    public int Length(int chunk) => (int)Math.Min(ChunkSize, MixtureLength - Start(chunk));
}
