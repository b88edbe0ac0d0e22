using EmoFarm.Farm.State;
namespace EmoFarm.Farm.State;

/// <summary>
/// How much unfinished work a tenant may have when a render is created: renders not yet in a terminal state, and
/// their audio. Null means no limit. The store checks it in the same atomic step as the create.
/// </summary>
public sealed record ActiveRenderLimits(int? MaxRenders, double? MaxAudioSeconds)
{
    public static readonly ActiveRenderLimits None = new(null, null);

    /// <summary>The refusal a render of <paramref name="seconds"/> would get on top of <paramref name="usage"/>, or null.</summary>
    public QuotaExceededException? Refusal(string tenant, ActiveUsage usage, double seconds)
    {
        if (MaxRenders is { } renders && usage.Renders >= renders)
            return ActiveQuota.RendersRefusal(tenant, usage.Renders, renders);
        if (MaxAudioSeconds is { } audio && usage.AudioSeconds + seconds > audio)
            return ActiveQuota.AudioRefusal(tenant, usage.AudioSeconds, audio);
        return null;
    }
}

/// <summary>A tenant's renders not yet in a terminal state, and their audio: what <see cref="ActiveRenderLimits"/> counts.</summary>
public sealed record ActiveUsage(int Renders, double AudioSeconds);
