using System.Threading.Channels;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Storage;

namespace EmoFarm.Farm.Frames;

/// <summary>Frames as lossless PNG objects under keys fixed by (render, segment or seam, frame).</summary>
public sealed class FrameStore(IBlobStore blobs)
{
    public async Task PutAsync(IReadOnlyList<(string Key, RgbImage Frame)> frames, int parallelism, CancellationToken ct) =>
        await Parallel.ForEachAsync(frames, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (item, c) => await blobs.PutBytesAsync(item.Key, PngCodec.Encode(item.Frame), "image/png", c));

    public async Task<RgbImage> GetAsync(string key, CancellationToken ct) => PngCodec.Decode(await blobs.GetBytesAsync(key, ct));

    public async Task<IReadOnlyList<RgbImage>> GetManyAsync(IEnumerable<string> keys, CancellationToken ct)
    {
        var list = keys.ToList();
        var frames = new RgbImage[list.Count];
        await Parallel.ForAsync(0, list.Count, ct, async (i, c) => frames[i] = await GetAsync(list[i], c));
        return frames;
    }

    /// <summary>
    /// Frames in order, downloaded and decoded ahead of a synchronous reader (an encoder's pipe) by a pipeline of
    /// at most <paramref name="depth"/> frames, so a long span is never held in memory at once.
    /// </summary>
    public IEnumerable<RgbImage> Prefetch(IReadOnlyList<string> keys, int depth, CancellationToken ct)
    {
        var channel = Channel.CreateBounded<Task<RgbImage>>(depth);
        _ = Task.Run(async () =>
        {
            try
            {
                foreach (var key in keys)
                    await channel.Writer.WriteAsync(GetAsync(key, ct), ct);
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, ct);
        while (channel.Reader.WaitToReadAsync(ct).AsTask().GetAwaiter().GetResult())
        {
            while (channel.Reader.TryRead(out var frame))
                yield return frame.GetAwaiter().GetResult();
        }
    }
}
