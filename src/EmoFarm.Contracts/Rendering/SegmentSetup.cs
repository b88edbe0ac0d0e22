namespace EmoFarm.Contracts.Rendering;

/// <param name="Audio">16 kHz mono samples, starting <paramref name="AudioLeadSamples"/> before frame 0 of the segment.</param>
/// <param name="FrameCount">Frames in the segment.</param>
public sealed record SegmentSetup(
    string RenderId,
    RgbImage Portrait,
    float[] Audio,
    int AudioLeadSamples,
    int FrameCount,
    ulong Seed,
    ModelSettings Settings)
{
    /// <summary>The portrait's identity embedding and masks; null for none (zeros and whole-frame masks).</summary>
    public PortraitConditioning? Conditioning { get; init; }
}
