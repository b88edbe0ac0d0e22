using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EmoFarm.Model.Rendering;

/// <summary>
/// The model's ActivitySource and Meter. Model work runs on the inference thread, where Activity.Current does not
/// follow the caller, so spans here are started with a parent context captured when the work was queued.
/// </summary>
public static class ModelTelemetry
{
    public const string Name = "EmoFarm.Model";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary>
    /// Sampling time of a clip divided by its steps. Timing single steps would need a device synchronise per step
    /// on CUDA, which would slow the very thing it measures.
    /// </summary>
    public static readonly Histogram<double> DenoiseStep = Meter.CreateHistogram<double>("emofarm.denoise.step.duration", "s", "One denoising step of the backbone, averaged over a clip");
}
