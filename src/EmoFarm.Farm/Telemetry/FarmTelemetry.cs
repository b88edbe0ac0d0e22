using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EmoFarm.Farm.Telemetry;

/// <summary>
/// The farm's one ActivitySource and Meter. Label sets are bounded: states, outcomes, reasons and worker names
/// (one per pod), never render ids. The Grafana dashboard in helm/ reads exactly these names; the
/// model's per-step histogram lives in EmoFarm.Model's ModelTelemetry.
/// </summary>
public static class FarmTelemetry
{
    public const string Name = "EmoFarm";

    /// <summary>EmoFarm.Model's source and meter, named here so the orchestrator needs no reference to the model.</summary>
    public const string ModelName = "EmoFarm.Model";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> RendersCompleted = Meter.CreateCounter<long>("emofarm.renders.completed", "{render}", "Renders that reached a terminal state");
    public static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>("emofarm.segment.queue_wait", "s", "Time from a segment's publication to a worker starting it");
    public static readonly Histogram<double> SegmentDuration = Meter.CreateHistogram<double>("emofarm.segment.duration", "s", "Time a worker spent on one attempt at a segment");
    public static readonly Histogram<double> ClipDuration = Meter.CreateHistogram<double>("emofarm.clip.duration", "s", "Time to render and store one clip");
    public static readonly Counter<long> FramesRendered = Meter.CreateCounter<long>("emofarm.frames.rendered", "{frame}", "Frames rendered and stored");
    public static readonly Counter<long> SegmentFailures = Meter.CreateCounter<long>("emofarm.segment.failures", "{failure}", "Failed attempts at a segment");
    public static readonly Counter<long> SegmentRetries = Meter.CreateCounter<long>("emofarm.segment.retries", "{retry}", "Segments handed back for another attempt");
    public static readonly Counter<long> SegmentRetakes = Meter.CreateCounter<long>("emofarm.segment.retakes", "{retake}", "Flagged segments rendered again with another seed (Quality:Retakes)");
    public static readonly Counter<long> SeamFallbacks = Meter.CreateCounter<long>("emofarm.seam.fallbacks", "{seam}", "Motion-frame seams crossfaded instead (reason: failed or short)");
    public static readonly Counter<long> SeamFailures = Meter.CreateCounter<long>("emofarm.seam.failures", "{failure}", "Failed attempts at a seam's continuation");
    public static readonly Counter<long> AuditedActions = Meter.CreateCounter<long>("emofarm.audit.actions", "{action}", "Audited API actions (action, tenant: bounded, see Audit)");
    public static readonly Counter<long> StepFailures = Meter.CreateCounter<long>("emofarm.orchestrator.step_failures", "{failure}", "Orchestrator steps that threw (each is retried; step: the consumer)");
}
