namespace EmoFarm.Farm.Video;

/// <summary>What a preview playlist lists: its first <paramref name="ChunksReady"/> chunks, <paramref name="SecondsReady"/> long.</summary>
/// <param name="Complete">Every chunk is listed, and the playlist has ended.</param>
public sealed record PreviewStatus(int ChunksReady, int ChunksTotal, double SecondsReady, bool Complete);
