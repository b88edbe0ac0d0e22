namespace EmoFarm.Contracts;

/// <summary>A chunk of the video is stored (<see cref="EncodeChunk"/>).</summary>
public sealed record ChunkEncoded(string RenderId, int ChunkIndex, long Bytes, string Worker, double Seconds);
