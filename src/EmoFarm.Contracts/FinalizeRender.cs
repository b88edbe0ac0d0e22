namespace EmoFarm.Contracts;

/// <summary>Every segment and seam is done: stitch the frames and the original audio, then upload the MP4.</summary>
public sealed record FinalizeRender(string RenderId);
