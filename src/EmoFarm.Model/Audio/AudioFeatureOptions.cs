namespace EmoFarm.Model.Audio;

/// <summary>Settings of <see cref="AudioFeatureExtractor"/>.</summary>
public sealed record AudioFeatureOptions
{
    public const int SampleRate = 16000;

    /// <summary>Neighbouring frames stacked on each side of a frame (m; the window is 2m + 1).</summary>
    public int ContextFrames { get; init; } = 2;

    public AudioInterpolation Interpolation { get; init; } = AudioInterpolation.BeforeEncoder;

    /// <summary>Zero-mean, unit-variance normalisation over the whole clip, as Wav2Vec2FeatureExtractor does.</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>
    /// Audio longer than this is encoded in windows of this many seconds of output frames, each seeing
    /// <see cref="OverlapSeconds"/> of extra audio on either side, which bounds memory (the first convolution
    /// alone holds 512 x 3200 floats per second).
    /// </summary>
    public double ChunkSeconds { get; init; } = 30;

    public double OverlapSeconds { get; init; } = 2;
}
