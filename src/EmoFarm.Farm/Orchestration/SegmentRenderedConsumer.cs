using EmoFarm.Contracts;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.Seams;
using EmoFarm.Farm.State;
using MassTransit;

namespace EmoFarm.Farm.Orchestration;

public sealed class SegmentRenderedConsumer(IRenderStore store, SegmentTakes takes, SeamCoordinator seams, RenderFailures failures, FairScheduler scheduler)
    : IConsumer<SegmentRendered>
{
    public async Task Consume(ConsumeContext<SegmentRendered> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        try
        {
            // First, so the next command is on its way while this one's bookkeeping runs; a retake decided below
            // waits in the window like any other work.
            await scheduler.ReleaseAsync(m.RenderId, WindowItem.SegmentKey(m.SegmentIndex, m.Take), ct);
            // A duplicate (the worker's acknowledgement was lost) still runs the seam checks: the first delivery may
            // have died between marking the segment done and reconciling its seams.
            if (m.Quality is { } quality)
                await store.RecordQualityAsync(m.RenderId, quality with { Take = m.Take }, ct);
            if (await takes.ChooseAsync(m, ct) is not { } kept)
                return;
            await store.CompleteSegmentAsync(m.RenderId, m.SegmentIndex, kept, ct);
            await seams.OnSegmentDoneAsync(m.RenderId, m.SegmentIndex, ct);
        }
        catch (Exception e) when (failures.IsLastAttempt(context, SegmentRenderedConsumerDefinition.Queue))
        {
            await failures.GiveUpAsync(m.RenderId, $"completing segment {m.SegmentIndex}", e);
        }
    }
}
