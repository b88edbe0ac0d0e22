using System.Globalization;

namespace EmoFarm.Farm.State;

/// <summary>The refusal a store raises when a create would take a tenant over its <see cref="ActiveRenderLimits"/>.</summary>
internal static class ActiveQuota
{
    public const string Renders = "MaxActiveRenders";
    public const string Audio = "MaxQueuedAudioSeconds";

    /// <summary>From the Redis script's answer: "!renders:COUNT" or "!audio:MILLISECONDS".</summary>
    public static QuotaExceededException Refusal(string tenant, string answer, ActiveRenderLimits limits)
    {
        var usage = long.Parse(answer[(answer.IndexOf(':', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
        return answer.StartsWith("!renders", StringComparison.Ordinal)
            ? RendersRefusal(tenant, (int)usage, limits.MaxRenders ?? 0)
            : AudioRefusal(tenant, usage / 1000.0, limits.MaxAudioSeconds ?? 0);
    }

    public static QuotaExceededException RendersRefusal(string tenant, int active, int limit) =>
        new($"tenant:{tenant}", Renders, $"tenant {tenant} has {active} unfinished renders, the limit of Quotas:{Renders} ({limit})");

    public static QuotaExceededException AudioRefusal(string tenant, double queued, double limit) =>
        new($"tenant:{tenant}", Audio,
            string.Create(CultureInfo.InvariantCulture, $"tenant {tenant} has {queued:F1} s of audio in unfinished renders; this render would take it over the limit of Quotas:{Audio} ({limit:F0} s)"));
}
