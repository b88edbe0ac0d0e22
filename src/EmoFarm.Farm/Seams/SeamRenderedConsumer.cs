using EmoFarm.Contracts;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.Seams;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Telemetry;
using MassTransit;

namespace EmoFarm.Farm.Seams;

/// <summary>A worker stored a seam's continuation: has it blended into the right segment, and completes the seam.</summary>
public sealed class SeamRenderedConsumer(IRenderStore store, MotionFrameReconciler motion, SeamCoordinator seams, RenderFailures failures, FairScheduler scheduler) : IConsumer<SeamRendered>
{
    public async Task Consume(ConsumeContext<SeamRendered> context)
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
            // Done already: this is a redelivery, or a late continuation of a seam that fell back to a crossfade,
            // whose frames must not be replaced under an encode that may be reading them.
            if (!(await store.GetDoneSeamsAsync(m.RenderId, ct)).Contains(m.SeamIndex))
            {
                // The blending half of a motion-frame seam; the continuation was rendered by a worker.
                using var activity = FarmTelemetry.Source.StartActivity("reconcile seam");
                activity?.SetTag("emofarm.render_id", m.RenderId).SetTag("emofarm.seam", m.SeamIndex);
                await motion.BlendContinuationAsync(render, segments, m.SeamIndex, ct);
                await store.CompleteSeamAsync(m.RenderId, m.SeamIndex, ct);
            }
            await seams.OnSeamDoneAsync(render, segments, m.SeamIndex, ct);
        }
        catch (Exception e) when (failures.IsLastAttempt(context, SeamRenderedConsumerDefinition.Queue))
        {
            await failures.GiveUpAsync(m.RenderId, $"blending seam {m.SeamIndex}", e);
        }
    }
}
