using EmoFarm.Contracts;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Telemetry;
using MassTransit;

namespace EmoFarm.Farm.Orchestration;

public sealed class SegmentFailedConsumer(IRenderStore store) : IConsumer<SegmentFailed>
{
    public async Task Consume(ConsumeContext<SegmentFailed> context)
    {
        var m = context.Message;
        var cause = $"segment {m.SegmentIndex} failed after {m.Attempts} attempts: {m.Reason}";
        if (await store.TransitionAsync(m.RenderId, RenderState.Failed, cause, context.CancellationToken))
            FarmTelemetry.RendersCompleted.Add(1, new KeyValuePair<string, object?>("state", "failed"));
    }
}
