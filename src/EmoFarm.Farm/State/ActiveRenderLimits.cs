namespace EmoFarm.Farm.State;

/// <summary>
/// How much unfinished work a tenant may have when a render is created: renders not yet in a terminal state, and
/// their audio. Null means no limit. The store checks it in the same atomic step as the create.
/// </summary>
public sealed record ActiveRenderLimits(int? MaxRenders, double? MaxAudioSeconds)
{
    public static readonly ActiveRenderLimits None = new(null, null);
}
