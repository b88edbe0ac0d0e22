using System.Diagnostics;
using System.Security.Cryptography;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Telemetry;

namespace EmoFarm.Farm.Video;

/// <summary>
/// A render's MP4 from what is stored: downloads its chunks and its encoded audio, joins them by stream copy
/// (<see cref="VideoAssembler"/>) and uploads the result in one atomic put, so nobody ever sees half a video. No frame
/// is decoded or encoded, so the time it takes is that of moving the bytes.
/// </summary>
public static class StoredVideo
{
    /// <summary>Chunks downloaded at once.</summary>
    public const int Downloads = 8;

    /// <param name="chunkFrames">Each chunk's frame count, in play order.</param>
    /// <param name="fetchAudio">Writes the encoded audio to the path it is given.</param>
    /// <param name="downloads">Chunks downloaded at once.</param>
    public static async Task<AssembledVideo> AssembleAsync(IBlobStore blobs, string tenant, string renderId, IReadOnlyList<int> chunkFrames,
        int fps, double audioSeconds, Func<string, Task> fetchAudio, CancellationToken ct, int downloads = Downloads)
    {
        var clock = Stopwatch.StartNew();
        var work = Directory.CreateTempSubdirectory("emofarm-assemble-");
        try
        {
            var audioPath = Path.Combine(work.FullName, "audio.m4a");
            var videoPath = Path.Combine(work.FullName, "render.mp4");
            var chunks = chunkFrames.Select((frames, i) => (Path: Path.Combine(work.FullName, $"{i:D5}.ts"), Frames: frames)).ToList();
            // Both to the end, even when one throws, so that nothing still writes into the folder as it is deleted.
            await Task.WhenAll(
                Parallel.ForAsync(0, chunks.Count, new ParallelOptions { MaxDegreeOfParallelism = downloads, CancellationToken = ct },
                    async (i, c) => await blobs.DownloadToFileAsync(BlobKeys.Chunk(tenant, renderId, i), chunks[i].Path, c)),
                fetchAudio(audioPath));
            var fetched = clock.Elapsed;
            await VideoAssembler.AssembleAsync(chunks, fps, audioPath, audioSeconds, videoPath, ct);
            var joined = clock.Elapsed;

            string sha;
            await using (var file = File.OpenRead(videoPath))
                sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
            var size = new FileInfo(videoPath).Length;
            using (FarmTelemetry.Source.StartActivity("upload output")?.SetTag("emofarm.bytes", size))
                await blobs.UploadFileAsync(BlobKeys.Output(tenant, renderId), videoPath, "video/mp4", ct);
            return new AssembledVideo(size, sha, fetched, joined - fetched, clock.Elapsed - joined);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
