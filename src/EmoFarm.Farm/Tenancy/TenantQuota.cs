using System.ComponentModel.DataAnnotations;

namespace EmoFarm.Farm.Tenancy;

/// <summary>A tenant's limits; null leaves a limit to the next source (tenant record, then configuration, then none).</summary>
public sealed record TenantQuota
{
    /// <summary>Renders not yet finished, failed or cancelled.</summary>
    [Range(0, 1_000_000)] public int? MaxActiveRenders { get; init; }

    /// <summary>Audio seconds in renders not yet finished.</summary>
    [Range(0, 1e9)] public double? MaxQueuedAudioSeconds { get; init; }

    /// <summary>Longest track in one render (the orchestrator's own MaxAudioSeconds still applies).</summary>
    [Range(0.01, 1e9)] public double? MaxAudioSecondsPerRender { get; init; }

    /// <summary>Creates per minute, counted by the rate limiter.</summary>
    [Range(1, MaxCreatesPerMinute)] public int? CreatesPerMinute { get; init; }

    public const int MaxCreatesPerMinute = 1_000_000;

    /// <summary>Each limit from this quota where set, else from <paramref name="fallback"/>.</summary>
    public TenantQuota Over(TenantQuota fallback) => new()
    {
        MaxActiveRenders = MaxActiveRenders ?? fallback.MaxActiveRenders,
        MaxQueuedAudioSeconds = MaxQueuedAudioSeconds ?? fallback.MaxQueuedAudioSeconds,
        MaxAudioSecondsPerRender = MaxAudioSecondsPerRender ?? fallback.MaxAudioSecondsPerRender,
        CreatesPerMinute = CreatesPerMinute ?? fallback.CreatesPerMinute,
    };

    public State.ActiveRenderLimits Active => new(MaxActiveRenders, MaxQueuedAudioSeconds);
}
