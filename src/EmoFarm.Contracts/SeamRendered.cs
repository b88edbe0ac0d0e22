namespace EmoFarm.Contracts;

/// <summary>The continuation frames of a seam are stored.</summary>
public sealed record SeamRendered(string RenderId, int SeamIndex, string Worker);
