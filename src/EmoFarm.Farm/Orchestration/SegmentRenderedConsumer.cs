using EmoFarm.Contracts;
using EmoFarm.Farm.State;
using MassTransit;

namespace EmoFarm.Farm.Orchestration;

public sealed class SegmentRenderedConsumer(IRenderStore store, SeamCoordinator seams) : IConsumer<SegmentRendered>
{
    public async Task Consume(ConsumeContext<SegmentRendered> context)
    {
        var m = context.Message;
        // A duplicate (the worker's acknowledgement was lost) still runs the seam checks: the first delivery may
        // have died between marking the segment done and reconciling its seams.
        if (m.Quality is { } quality)
            await store.RecordQualityAsync(m.RenderId, quality, context.CancellationToken);
        await store.CompleteSegmentAsync(m.RenderId, m.SegmentIndex, context.CancellationToken);
        await seams.OnSegmentDoneAsync(m.RenderId, m.SegmentIndex, context.CancellationToken);
    }
}
