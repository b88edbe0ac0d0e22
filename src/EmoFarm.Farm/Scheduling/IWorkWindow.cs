namespace EmoFarm.Farm.Scheduling;

/// <summary>
/// The scheduler's durable state: what waits, per render and tenant, and what is out (published, not yet
/// finished). Every call is one atomic step, so orchestrator replicas and redelivered events may race: an item is
/// reserved once, released once, and counted while out exactly once.
/// </summary>
public interface IWorkWindow
{
    /// <summary>
    /// Adds the items of a render that are neither waiting nor out; returns those already out, for a caller that
    /// must publish them again (a restart that found the render undispatched).
    /// </summary>
    /// <param name="renderOrder">Among the tenant's renders, lower goes first (priority, then age).</param>
    Task<IReadOnlyList<WindowItem>> EnqueueAsync(string renderId, string tenant, double renderOrder, IReadOnlyList<WindowItem> items, CancellationToken ct);

    /// <summary>
    /// Moves waiting items out until <see cref="SchedulingOptions.QueueDepth"/> are out: each to the tenant furthest
    /// below its share (guaranteed share first, then by weight, never past burst), from its first render. The items
    /// stay unconfirmed until <see cref="ConfirmAsync"/>.
    /// </summary>
    Task<IReadOnlyList<WindowItem>> ReserveAsync(SchedulingOptions options, DateTimeOffset now, CancellationToken ct);

    /// <summary>Records that reserved items were published.</summary>
    Task ConfirmAsync(IReadOnlyList<WindowItem> items, CancellationToken ct);

    /// <summary>Frees an item's place; false when it was not out (a redelivered event, or a render removed).</summary>
    Task<bool> ReleaseAsync(string renderId, string key, CancellationToken ct);

    /// <summary>Forgets a render: what waits, and the places of what is out.</summary>
    Task RemoveAsync(string renderId, CancellationToken ct);

    /// <summary>Items reserved before <paramref name="before"/> and never confirmed: their publisher died or failed.</summary>
    Task<IReadOnlyList<WindowItem>> UnconfirmedAsync(DateTimeOffset before, CancellationToken ct);

    /// <summary>Renders with anything waiting or out.</summary>
    Task<IReadOnlyList<string>> RendersAsync(CancellationToken ct);

    /// <summary>Items out per tenant, and items waiting in all.</summary>
    Task<(IReadOnlyDictionary<string, int> Out, int Waiting)> CountsAsync(CancellationToken ct);
}
