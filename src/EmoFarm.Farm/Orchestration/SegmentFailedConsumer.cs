using EmoFarm.Contracts;
using EmoFarm.Farm.Scheduling;
using MassTransit;

namespace EmoFarm.Farm.Orchestration;

public sealed class SegmentFailedConsumer(RenderFailures failures) : IConsumer<SegmentFailed>
{
    public async Task Consume(ConsumeContext<SegmentFailed> context)
    {
        var m = context.Message;
        try
        {
            await failures.FailAsync(m.RenderId, $"segment {m.SegmentIndex} failed after {m.Attempts} attempts: {m.Reason}");
        }
        // Writing the failure failed on every retry (Redis down throughout): one more try, naming what went wrong,
        // rather than a message in an error queue and a render that waits forever.
        catch (Exception e) when (failures.IsLastAttempt(context, SegmentFailedConsumerDefinition.Queue))
        {
            await failures.GiveUpAsync(m.RenderId, $"recording segment {m.SegmentIndex}'s failure ({m.Reason})", e);
        }
    }
}
