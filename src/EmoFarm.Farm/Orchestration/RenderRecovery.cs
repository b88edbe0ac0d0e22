using EmoFarm.Farm.State;
using Microsoft.Extensions.Hosting;

namespace EmoFarm.Farm.Orchestration;

/// <summary>Resumes every unfinished render when an orchestrator starts (<see cref="RenderResumer"/>).</summary>
public sealed class RenderRecovery(IRenderStore store, RenderResumer resumer) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var id in await store.ListUnfinishedAsync(stoppingToken))
            await resumer.ResumeAsync(id, stoppingToken);
    }
}
