using EmoFarm.Contracts;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.Seams;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Telemetry;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace EmoFarm.Farm.Seams;

/// <summary>
/// A seam whose continuation a worker could not render (it threw, or crashed its worker, on every attempt) is
/// crossfaded instead, as a seam too close to its segment's start is: the render finishes with a visible but bounded
/// seam rather than waiting forever. The fallback is recorded in the seam's quality and counted in
/// <c>emofarm.seam.fallbacks</c>.
/// </summary>
public sealed partial class SeamFailedConsumer(
    IRenderStore store, CrossfadeReconciler crossfade, SeamCoordinator seams, RenderFailures failures, FairScheduler scheduler, ILogger<SeamFailedConsumer> logger)
    : IConsumer<SeamFailed>
{
    public async Task Consume(ConsumeContext<SeamFailed> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        try
        {
            // The continuation is over either way: its place in the window goes to the next in line.
            await scheduler.ReleaseAsync(m.RenderId, WindowItem.SeamKey(m.SeamIndex), ct);
            var render = await store.GetAsync(m.RenderId, ct);
            if (render is null || RenderStateMachine.IsTerminal(render.State))
                return;
            var segments = await store.GetSegmentsAsync(m.RenderId, ct);
            if (!(await store.GetDoneSeamsAsync(m.RenderId, ct)).Contains(m.SeamIndex))
            {
                var reason = $"the motion-frame continuation failed after {m.Attempts} attempts: {m.Reason}";
                LogFallback(logger, m.RenderId, m.SeamIndex, reason);
                // Recorded before the seam completes, so a render is never reported done with an unexplained crossfade.
                await store.RecordSeamFallbackAsync(m.RenderId, m.SeamIndex, reason, ct);
                var plan = SegmentPlanner.Seams([.. segments.Select(s => new SegmentPlan(s.Index, s.FirstFrame, s.FrameCount))])[m.SeamIndex];
                using (FarmTelemetry.Source.StartActivity("reconcile seam")?.SetTag("emofarm.render_id", m.RenderId).SetTag("emofarm.seam", m.SeamIndex)
                    .SetTag("emofarm.strategy", nameof(CrossfadeReconciler)))
                {
                    await crossfade.ReconcileAsync(render, plan, segments, ct);
                }

                if (await store.CompleteSeamAsync(m.RenderId, m.SeamIndex, ct) > 0)
                    FarmTelemetry.SeamFallbacks.Add(1, new KeyValuePair<string, object?>("reason", "failed"));
            }
            await seams.OnSeamDoneAsync(render, segments, m.SeamIndex, ct);
        }
        catch (Exception e) when (failures.IsLastAttempt(context, SeamFailedConsumerDefinition.Queue))
        {
            await failures.GiveUpAsync(m.RenderId, $"crossfading seam {m.SeamIndex} after its continuation failed", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "render {RenderId} seam {Seam}: crossfading instead, {Reason}")]
    private static partial void LogFallback(ILogger logger, string renderId, int seam, string reason);
}
