namespace EmoFarm.Farm.State;

/// <summary>The finished MP4.</summary>
public sealed record RenderOutput(string Key, long SizeBytes, string Sha256, double DurationSeconds, int FrameCount);
