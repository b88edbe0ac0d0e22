using System.Text;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using Microsoft.Extensions.Logging;

namespace EmoFarm.Farm.Video;

/// <summary>
/// Stores a render's preview playlist (<see cref="PreviewPlaylist"/>) at <see cref="BlobKeys.Preview"/>: after every
/// chunk that extends the finished part, and on every GetPreview. Each entry is a presigned URL valid for
/// <see cref="EntryLifetime"/> from the write, and GetPreview writes before it hands out a playlist URL (valid for at
/// most as long), so no entry expires before the URL that leads to it.
/// </summary>
public sealed partial class PreviewWriter(IRenderStore store, IBlobStore blobs, ILogger<PreviewWriter> logger)
{
    public static readonly TimeSpan EntryLifetime = TimeSpan.FromHours(24);

    /// <summary>After chunk <paramref name="chunk"/> is recorded: rewrites the playlist if the chunk lies in the finished part.</summary>
    public async Task OnChunkStoredAsync(string renderId, int chunk, CancellationToken ct)
    {
        try
        {
            var render = await store.GetAsync(renderId, ct);
            if (render is null)
                return;
            // A chunk past a gap changes nothing a player may play; the chunk that closes the gap writes it all. A
            // repeated event rewrites it, which is harmless and covers a first delivery that died before writing.
            if (chunk >= PreviewPlaylist.ReadyPrefix(await store.GetDoneChunksAsync(renderId, ct), render.SegmentCount))
                return;
            await WriteAsync(render, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The preview is a view of stored chunks, never a reason to fail or hold up the render: the next chunk,
            // or the next GetPreview, writes it again.
            LogWriteFailed(logger, renderId, chunk, e);
        }
    }

    /// <summary>Stores the playlist of every chunk stored from chunk 0 without a gap; writes nothing while there is none.</summary>
    public async Task<PreviewStatus> WriteAsync(RenderRecord render, CancellationToken ct)
    {
        var segments = await store.GetSegmentsAsync(render.Id, ct);
        var fps = render.Spec.Model.Fps;
        var frames = Enumerable.Range(0, segments.Count).Select(i => VideoChunks.Span(segments, i).FrameCount).ToList();
        var ready = PreviewPlaylist.ReadyPrefix(await store.GetDoneChunksAsync(render.Id, ct), segments.Count);
        while (ready > 0)
        {
            var entries = await Task.WhenAll(Enumerable.Range(0, ready)
                .Select(i => blobs.PresignGetAsync(BlobKeys.Chunk(render.Tenant, render.Id, i), EntryLifetime, ct)));
            var text = PreviewPlaylist.Build(frames, fps, entries);
            await blobs.PutBytesAsync(BlobKeys.Preview(render.Tenant, render.Id), Encoding.UTF8.GetBytes(text), PreviewPlaylist.ContentType, ct);
            // Writers on several orchestrators race, and S3 offers no conditional put to order them, so the object
            // must come out right whatever order the puts land in: each writer looks again after its put and writes
            // again if more is stored than it wrote. Any chunk recorded after that look has its own write still to
            // come, so the put that lands last always lists the latest finished part.
            var after = PreviewPlaylist.ReadyPrefix(await store.GetDoneChunksAsync(render.Id, ct), segments.Count);
            if (after <= ready)
                break;
            ready = after;
        }
        return new PreviewStatus(ready, segments.Count, (double)frames.Take(ready).Sum() / fps, ready == segments.Count);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "render {RenderId}: the preview playlist was not written after chunk {Chunk}")]
    private static partial void LogWriteFailed(ILogger logger, string renderId, int chunk, Exception exception);
}
