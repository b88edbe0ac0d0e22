using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Scheduling;

/// <summary>
/// Runs <see cref="FairScheduler.SweepAsync"/> at start and then every <see cref="SchedulingOptions.SweepInterval"/>.
/// At start it is what rebuilds the window's traffic after a restart: the window itself is in Redis, and this
/// republishes what the dead process had reserved but not published, and refills. It waits for the host to start,
/// as <see cref="Orchestration.RenderRecovery"/> does, so no command goes to a bus still starting.
/// </summary>
public sealed partial class WindowSweep(FairScheduler scheduler, IOptions<SchedulingOptions> options, IHostApplicationLifetime lifetime, ILogger<WindowSweep> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Window)
            return;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            await started.Task;
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        do
        {
            try
            {
                await scheduler.SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Redis or the broker briefly away: the next sweep tries again; events refill meanwhile.
                LogSweepFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "the scheduler's sweep failed; trying again at the next")]
    private static partial void LogSweepFailed(ILogger logger, Exception e);
}
