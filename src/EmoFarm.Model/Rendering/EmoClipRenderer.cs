using System.Diagnostics;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Model.Loading;

namespace EmoFarm.Model.Rendering;

/// <summary>The farm's renderer backed by the EMO model; every model call runs on its inference thread.</summary>
public sealed class EmoClipRenderer(EmoModel model, InferenceThread thread, ModelOptions options) : IClipRenderer
{
    public RendererInfo Info { get; } = new(
        $"emo {model.Config.Name} {model.Dtype} {model.Device}{(model.RandomWeights ? " RANDOM WEIGHTS" : "")}",
        model.Config.ClipFrames, model.Config.MotionFrames, model.RandomWeights);

    /// <summary>The parity test's seam into every session this renderer begins; null in production.</summary>
    internal ISamplingProbe? Probe { get; init; }

    public async Task<ISegmentSession> BeginAsync(SegmentSetup setup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (setup.Portrait.Width % 64 != 0 || setup.Portrait.Height % 64 != 0)
            throw new ArgumentException($"portrait is {setup.Portrait.Width}x{setup.Portrait.Height}; both sides must be multiples of 64");
        var parent = Activity.Current?.Context ?? default;
        return await thread.RunAsync<ISegmentSession>(() => new EmoSegmentSession(model, thread, setup, options.DecodeChunkFrames, parent, Probe), cancellationToken);
    }
}
