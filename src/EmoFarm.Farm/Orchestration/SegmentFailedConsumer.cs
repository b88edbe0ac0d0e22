using EmoFarm.Contracts;
using MassTransit;

namespace EmoFarm.Farm.Orchestration;

public sealed class SegmentFailedConsumer(RenderFailures failures) : IConsumer<SegmentFailed>
{
    public Task Consume(ConsumeContext<SegmentFailed> context)
    {
        var m = context.Message;
        return failures.FailAsync(m.RenderId, $"segment {m.SegmentIndex} failed after {m.Attempts} attempts: {m.Reason}");
    }
}
