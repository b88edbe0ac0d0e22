using EmoFarm.Model.Rendering;
using static TorchSharp.torch;

namespace EmoFarm.Farm.Tests.Parity;

/// <summary>Hands each clip Hallo's noise and keeps copies of what the session reports.</summary>
internal sealed class RecordingProbe(Tensor noise) : ISamplingProbe
{
    public List<Tensor> Steps { get; } = [];

    public List<Tensor> Frames { get; } = [];

    public Tensor? InitialNoise(int clip) => noise.narrow(0, clip, 1);

    public void OnStep(int clip, int step, Tensor latents)
    {
        if (clip == 0)
            Steps.Add(latents.cpu().clone().DetachFromDisposeScope());
    }

    public void OnFrames(int clip, Tensor frames) => Frames.Add(frames.cpu().clone().DetachFromDisposeScope());
}
