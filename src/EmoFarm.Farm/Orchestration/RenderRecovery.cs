using EmoFarm.Farm.State;
using Microsoft.Extensions.Hosting;

namespace EmoFarm.Farm.Orchestration;

/// <summary>
/// Resumes every unfinished render when an orchestrator starts (<see cref="RenderResumer"/>). It waits until the
/// host has started, bus included: a command published while the bus is still starting can be dropped, and the
/// render would then be marked dispatched with its segments nowhere.
/// </summary>
public sealed class RenderRecovery(IRenderStore store, RenderResumer resumer, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            await started.Task;
        foreach (var id in await store.ListUnfinishedAsync(stoppingToken))
            await resumer.ResumeAsync(id, stoppingToken);
    }
}
