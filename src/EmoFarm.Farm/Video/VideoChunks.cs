using EmoFarm.Contracts;
using EmoFarm.Farm.Frames;
using EmoFarm.Farm.State;
using MassTransit;

namespace EmoFarm.Farm.Video;

/// <summary>
/// The video in chunks, one per segment: chunk i holds the frames from segment i's first frame to segment i + 1's
/// (the last runs to the end). Seam i is the overlap of segments i and i + 1 and falls in chunk i + 1, so chunk i is
/// final once segment i is done and seam i - 1 is reconciled; it is then encoded at once, on a worker, while the
/// rest renders. A command is only a request: the store's set of stored chunks is what counts, and a repeated
/// command writes the same object again.
/// </summary>
public sealed class VideoChunks(IPublishEndpoint publisher)
{
    public static (int FirstFrame, int FrameCount) Span(IReadOnlyList<SegmentRecord> segments, int chunk)
    {
        var first = segments[chunk].FirstFrame;
        var end = chunk + 1 < segments.Count ? segments[chunk + 1].FirstFrame : segments[^1].FirstFrame + segments[^1].FrameCount;
        return (first, end - first);
    }

    public static bool IsFinal(IReadOnlyList<SegmentRecord> segments, IReadOnlySet<int> doneSeams, int chunk) =>
        segments[chunk].State == SegmentState.Done && (chunk == 0 || doneSeams.Contains(chunk - 1));

    /// <summary>
    /// Asks for the encode of each of <paramref name="candidates"/> that is final and not stored yet; with the
    /// first chunk, for the audio's too, so that it is ready long before the assembly.
    /// </summary>
    public async Task PublishFinalAsync(RenderRecord render, IReadOnlyList<SegmentRecord> segments, IReadOnlySet<int> doneSeams,
        IReadOnlySet<int> doneChunks, IEnumerable<int> candidates, CancellationToken ct)
    {
        foreach (var chunk in candidates.Distinct().Where(c => c >= 0 && c < segments.Count && !doneChunks.Contains(c) && IsFinal(segments, doneSeams, c)))
        {
            if (chunk == 0)
                await publisher.Publish(new EncodeAudio(render.Id, render.Tenant, render.AudioKey), ct);
            var (first, count) = Span(segments, chunk);
            await publisher.Publish(new EncodeChunk
            {
                RenderId = render.Id,
                Tenant = render.Tenant,
                ChunkIndex = chunk,
                FirstFrame = first,
                FrameCount = count,
                Fps = render.Spec.Model.Fps,
                Width = render.Spec.Model.Width,
                Height = render.Spec.Model.Height,
                FrameKeys = [.. Enumerable.Range(first, count).Select(f => FrameSources.Key(render.Tenant, render.Id, segments, f))],
            }, ct);
        }
    }
}
