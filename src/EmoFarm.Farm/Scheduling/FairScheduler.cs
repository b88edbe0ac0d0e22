using EmoFarm.Farm.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Scheduling;

/// <summary>
/// Every segment take and seam continuation goes to the workers through here. With the window on
/// (<see cref="SchedulingOptions.Window"/>) work waits in <see cref="IWorkWindow"/> and is published as places free:
/// on every submission and every finished item, from whichever replica saw the event. Refilling is idempotent: a
/// redelivered event releases nothing twice, and a refill with nothing free publishes nothing.
/// </summary>
public sealed partial class FairScheduler(
    IWorkWindow window, IRenderStore store, CommandPublisher commands, IOptions<SchedulingOptions> options, TimeProvider clock, ILogger<FairScheduler> logger)
{
    private SchedulingOptions Options => options.Value;

    /// <param name="republish">Publish again the items already out: a restart found the render undispatched, and
    /// their commands may be gone with the dead process.</param>
    public async Task SubmitAsync(RenderRecord render, IReadOnlyList<WindowItem> items, bool republish, CancellationToken ct)
    {
        if (!Options.Window)
        {
            foreach (var item in items)
                await commands.PublishAsync(render, item, priority: true, ct);
            return;
        }
        // Priority first, then age: a tenant's renders run in the order its users would expect.
        var order = (9 - render.Spec.Priority) * 1e13 + render.CreatedAt.ToUnixTimeMilliseconds();
        var again = await window.EnqueueAsync(render.Id, render.Tenant, order, items, ct);
        if (republish)
        {
            foreach (var item in again)
                await commands.PublishAsync(render, item, priority: false, ct);
        }

        await RefillAsync(ct);
    }

    /// <summary>An item finished (or was given up): its place goes to the next in line.</summary>
    public async Task ReleaseAsync(string renderId, string key, CancellationToken ct)
    {
        if (!Options.Window)
            return;
        await window.ReleaseAsync(renderId, key, ct);
        await RefillAsync(ct);
    }

    /// <summary>A render failed or was cancelled: what it waits for is dropped and its places go to others.</summary>
    public async Task RemoveAsync(string renderId, CancellationToken ct)
    {
        if (!Options.Window)
            return;
        await window.RemoveAsync(renderId, ct);
        await RefillAsync(ct);
    }

    public async Task RefillAsync(CancellationToken ct)
    {
        if (!Options.Window)
            return;
        // Again while reserved work belonged to renders that had ended: their places are free once more.
        while (await PublishAsync(await window.ReserveAsync(Options, clock.GetUtcNow(), ct), ct))
        {
        }
    }

    /// <summary>
    /// The periodic check (<see cref="WindowSweep"/>): frees the places of renders that ended without a word from
    /// their workers (cancelled), publishes what a dead or failed publisher reserved, and refills.
    /// </summary>
    public async Task SweepAsync(CancellationToken ct)
    {
        if (!Options.Window)
            return;
        foreach (var id in await window.RendersAsync(ct))
        {
            if (await store.GetAsync(id, ct) is not { } render || RenderStateMachine.IsTerminal(render.State))
            {
                LogRemoved(logger, id);
                await window.RemoveAsync(id, ct);
            }
        }

        var lost = await window.UnconfirmedAsync(clock.GetUtcNow() - Options.PublishGrace, ct);
        if (lost.Count > 0)
            LogRepublish(logger, lost.Count);
        await PublishAsync(lost, ct);
        await RefillAsync(ct);
    }

    /// <returns>Whether a render had ended and was removed instead.</returns>
    private async Task<bool> PublishAsync(IReadOnlyList<WindowItem> items, CancellationToken ct)
    {
        var removed = false;
        foreach (var group in items.GroupBy(i => i.RenderId))
        {
            var render = await store.GetAsync(group.Key, ct);
            if (render is null || RenderStateMachine.IsTerminal(render.State))
            {
                // Ended while its work waited: nothing to publish, and the places it took are free again.
                await window.RemoveAsync(group.Key, ct);
                removed = true;
                continue;
            }
            foreach (var item in group)
                await commands.PublishAsync(render, item, priority: false, ct);
            await window.ConfirmAsync([.. group], ct);
        }
        return removed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "render {RenderId} has ended; its work leaves the window")]
    private static partial void LogRemoved(ILogger logger, string renderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "publishing again {Count} commands reserved and never confirmed (their publisher stopped or failed)")]
    private static partial void LogRepublish(ILogger logger, int count);
}
