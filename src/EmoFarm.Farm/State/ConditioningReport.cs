namespace EmoFarm.Farm.State;

/// <summary>What a render was conditioned on, said once when it is created: each line names the model used, or why none was.</summary>
/// <param name="Identity">The identity embedding's source, or why the model sees zeros.</param>
/// <param name="Landmarks">The landmark model that drew the masks, or why they cover the whole frame.</param>
/// <param name="Audio">What drove the lips: the separated vocals and their separator, or the mix and why.</param>
public sealed record ConditioningReport(string Identity, string Landmarks, string Audio);
