using System.ComponentModel.DataAnnotations;

namespace EmoFarm.Farm.Scheduling;

/// <summary>
/// A tenant's subscription to the window, after OpenCue's: <see cref="Share"/> is guaranteed, <see cref="Burst"/> is
/// the most it may hold, and between the two places go by <see cref="Weight"/>. Share and burst are fractions of
/// <see cref="SchedulingOptions.QueueDepth"/>, so they keep their meaning when the farm is resized.
/// </summary>
public sealed class TenantShare
{
    /// <summary>Relative claim on places beyond the guaranteed shares: weights 2 and 1 get throughput 2:1.</summary>
    [Range(0.001, 1000)] public double Weight { get; set; } = 1;

    /// <summary>Fraction of the window the tenant gets before any tenant above its own share gets more.</summary>
    [Range(0.0, 1.0)] public double Share { get; set; }

    /// <summary>Largest fraction of the window the tenant may hold, even with the farm otherwise idle.</summary>
    [Range(0.0001, 1.0)] public double Burst { get; set; } = 1;

    /// <summary>The share in places of a window of <paramref name="depth"/>; rounded down so shares never overbook it.</summary>
    public int GuaranteedPlaces(int depth) => (int)Math.Floor(Share * depth);

    /// <summary>The burst in places; at least one, or the tenant could never render.</summary>
    public int BurstPlaces(int depth) => Math.Max(1, (int)Math.Ceiling(Burst * depth - 1e-9));
}
