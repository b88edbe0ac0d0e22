using static TorchSharp.torch;

namespace EmoFarm.Model.Rendering;

/// <summary>
/// A test seam, not a user option: the Hallo parity test injects Hallo's initial noise and reads back every step's
/// latents and the decoded frames before they are quantised. Production sessions have none.
/// </summary>
internal interface ISamplingProbe
{
    /// <summary>The initial latents of a clip [1, 4, F, h, w], or null to draw them from the segment's seed.</summary>
    Tensor? InitialNoise(int clip);

    /// <summary>The latents after each denoising step (float32).</summary>
    void OnStep(int clip, int step, Tensor latents);

    /// <summary>The decoded frames [F, 3, H, W] in [0, 1] (float32), before they become bytes.</summary>
    void OnFrames(int clip, Tensor frames);
}
