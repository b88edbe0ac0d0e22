using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Scheduling;

/// <summary>
/// How the orchestrator hands work to the workers (docs/scheduling.md). With the window on, at most
/// <see cref="QueueDepth"/> segment and seam commands are out (queued in RabbitMQ or rendering) across the farm, and
/// each free place goes to the tenant furthest below its share; with it off, every segment of a render is published
/// at creation, as before the scheduler.
/// </summary>
public sealed class SchedulingOptions
{
    public const string Section = "Scheduling";

    /// <summary>False publishes every segment at creation (publish-all): no fairness, kept for comparison.</summary>
    public bool Window { get; set; } = true;

    /// <summary>
    /// Commands out at once across the farm, queued and rendering together. Twice the farm's GPU slots keeps one
    /// queued behind every rendering segment, so a worker that finishes never waits for the orchestrator's refill;
    /// more only lengthens the line a new tenant's first segment waits behind.
    /// </summary>
    [Range(1, 100_000)] public int QueueDepth { get; set; } = 16;

    /// <summary>Every tenant without an entry in <see cref="Tenants"/>.</summary>
    [ValidateObjectMembers] public TenantShare Default { get; set; } = new();

    /// <summary>Per tenant by name: <c>Scheduling:Tenants:NAME:Weight</c>, <c>…:Share</c>, <c>…:Burst</c>.</summary>
    public Dictionary<string, TenantShare> Tenants { get; set; } = [];

    /// <summary>
    /// How often the orchestrator checks the window against the render store: places held by renders that were
    /// cancelled (whose workers drop their commands without a word) are freed, and commands reserved by an
    /// orchestrator that died before publishing them are published.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A reserved command unconfirmed for this long counts as lost by its publisher and is published again.</summary>
    public TimeSpan PublishGrace { get; set; } = TimeSpan.FromSeconds(30);

    public TenantShare For(string tenant) => Tenants.GetValueOrDefault(tenant) ?? Default;
}
