namespace EmoFarm.Farm.Video;

/// <summary>The MP4 <see cref="StoredVideo"/> stored, and where its time went.</summary>
/// <param name="Fetch">Downloading the chunks and the audio.</param>
/// <param name="Join">The stream copy into one file.</param>
/// <param name="Upload">Hashing and uploading the MP4.</param>
public sealed record AssembledVideo(long Bytes, string Sha256, TimeSpan Fetch, TimeSpan Join, TimeSpan Upload);
