using EmoFarm.Farm.Planning;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Submission;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EmoFarm.Farm.Orchestration;

/// <summary>
/// Picks up every unfinished render when an orchestrator starts. Messages in RabbitMQ survive the restart on
/// their own; what can be lost is work the dead process had not yet handed to the bus: segments never
/// dispatched, and the seam checks and final encode of renders whose segments were all done.
/// </summary>
public sealed partial class RenderRecovery(IRenderStore store, SegmentDispatcher dispatcher, SeamCoordinator seams, ILogger<RenderRecovery> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var id in await store.ListUnfinishedAsync(stoppingToken))
        {
            var render = await store.GetAsync(id, stoppingToken);
            if (render is null || RenderStateMachine.IsTerminal(render.State))
                continue;
            var segments = await store.GetSegmentsAsync(id, stoppingToken);
            if (!render.Dispatched)
            {
                LogRedispatch(logger, id);
                await dispatcher.DispatchAsync(render, [.. segments.Select(s => new SegmentPlan(s.Index, s.FirstFrame, s.FrameCount))], stoppingToken);
            }
            foreach (var segment in segments.Where(s => s.State == SegmentState.Done))
                await seams.OnSegmentDoneAsync(id, segment.Index, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "render {RenderId} was never fully dispatched; dispatching its segments again")]
    private static partial void LogRedispatch(ILogger logger, string renderId);
}
