namespace EmoFarm.Contracts;

/// <summary>
/// A worker gave up on a seam's continuation after its bounded attempts. The orchestrator falls back to a crossfade
/// for that seam and records why, instead of leaving the render reconciling forever.
/// </summary>
public sealed record SeamFailed(string RenderId, int SeamIndex, int Attempts, string Reason);
