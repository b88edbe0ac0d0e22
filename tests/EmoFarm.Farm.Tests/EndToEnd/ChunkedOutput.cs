using System.Globalization;
using EmoFarm.Api.V1;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Frames;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Testing;
using Xunit;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>
/// What a finished render's MP4 must be, read from the bucket beside it: its stored chunks stream-copied in order
/// (so decoding to exactly their frames), each chunk starting on an IDR frame where its span starts, and the audio
/// the original track encoded once.
/// </summary>
internal static class ChunkedOutput
{
    public static async Task AssertAssembledAsync(FarmHarness farm, string renderId, string video, string audioPath, TempFolder folder, CancellationToken ct)
    {
        var render = await farm.Client.GetRenderAsync(new GetRenderRequest { Id = renderId }, cancellationToken: ct);
        var (width, height, fps) = ((int)render.Parameters.Width, (int)render.Parameters.Height, (int)render.Parameters.Fps);
        var segments = render.Segments.OrderBy(s => s.Index).ToList();
        var chunkFrames = new List<byte[]>();
        double? firstStart = null;
        for (var i = 0; i < segments.Count; i++)
        {
            var path = folder.File($"chunk-{i}.ts");
            await StoredVideo.DownloadAsync(farm, BlobKeys.Chunk(render.Tenant, renderId, i), path, ct);
            var frames = await StoredVideo.FramesAsync(path, width, height, folder.Path, ct);
            var end = i + 1 < segments.Count ? (int)segments[i + 1].FirstFrame : (int)(segments[^1].FirstFrame + segments[^1].FrameCount);
            Assert.Equal(end - (int)segments[i].FirstFrame, frames.Count);
            Assert.Equal((true, "I"), (await StoredVideo.PictureTypesAsync(path, ct))[0]);
            // Timestamps continue from chunk to chunk, so that consecutive chunks play as one stream.
            var start = await StoredVideo.StartSecondsAsync(path, ct);
            firstStart ??= start;
            Assert.Equal((double)segments[i].FirstFrame / fps, start - firstStart.Value, precision: 3);
            chunkFrames.AddRange(frames);
        }

        var audioSeconds = await TestMedia.AudioSecondsAsync(audioPath);
        var videoFrames = await StoredVideo.FramesAsync(video, width, height, folder.Path, ct);
        Assert.Equal((int)Math.Ceiling(audioSeconds * fps - 1e-6), videoFrames.Count);
        Assert.InRange(chunkFrames.Count, videoFrames.Count, videoFrames.Count + 1);
        var differing = Enumerable.Range(0, videoFrames.Count).Where(i => !videoFrames[i].AsSpan().SequenceEqual(chunkFrames[i])).ToList();
        Assert.True(differing.Count == 0, $"{differing.Count} frames differ from the chunks', first at {string.Join(", ", differing.Take(10))}");

        // The original audio encoded once, by ffmpeg's AAC encoder as the test runs it: the MP4's packets are those,
        // up to the cut at the audio's length.
        var own = folder.File("own.m4a");
        await StoredVideo.RunAsync("ffmpeg", ct, "-v", "error", "-i", audioPath, "-vn", "-c:a", "aac", own);
        var expected = await StoredVideo.AudioPacketsAsync(own, ct);
        var actual = await StoredVideo.AudioPacketsAsync(video, ct);
        Assert.InRange(actual.Count, expected.Count - 1, expected.Count);
        Assert.Equal(expected.Take(actual.Count), actual);
    }

    /// <summary>
    /// The render's frames encoded the old way, in one pass with the same x264 settings, against the assembled
    /// chunks: the frames of both are compared with each other and with the lossless source frames.
    /// </summary>
    public static async Task<string> CompareWithSinglePassAsync(FarmHarness farm, string renderId, string video, TempFolder folder, CancellationToken ct)
    {
        var render = await farm.Client.GetRenderAsync(new GetRenderRequest { Id = renderId }, cancellationToken: ct);
        var (width, height, fps) = ((int)render.Parameters.Width, (int)render.Parameters.Height, (int)render.Parameters.Fps);
        var records = render.Segments.OrderBy(s => s.Index)
            .Select(s => new SegmentRecord((int)s.Index, (int)s.FirstFrame, (int)s.FrameCount, SegmentState.Done, 0, 0, 0, null, null, (int)s.Take)).ToList();
        var sources = new List<RgbImage>();
        foreach (var key in FrameSources.Keys(render.Tenant, renderId, records, reconciled: true))
        {
            var path = folder.File("source.png");
            await StoredVideo.DownloadAsync(farm, key, path, ct);
            sources.Add(PngCodec.Decode(await File.ReadAllBytesAsync(path, ct)));
        }
        var single = folder.File("single-pass.ts");
        await VideoEncoder.EncodeChunkAsync(sources, width, height, fps, 0, single, ct);
        var old = await StoredVideo.FramesAsync(single, width, height, folder.Path, ct);
        var chunked = (await StoredVideo.FramesAsync(video, width, height, folder.Path, ct)).Take(old.Count).ToList();
        Assert.Equal(old.Count, chunked.Count);

        var identical = Enumerable.Range(0, old.Count).Where(i => old[i].AsSpan().SequenceEqual(chunked[i])).ToList();
        var boundaries = records.Skip(1).Select(s => s.FirstFrame).ToHashSet();
        var oldPsnr = Enumerable.Range(0, old.Count).Select(i => Math.Min(99, StoredVideo.Psnr(sources[i].Pixels, old[i]))).ToList();
        var newPsnr = Enumerable.Range(0, old.Count).Select(i => Math.Min(99, StoredVideo.Psnr(sources[i].Pixels, chunked[i]))).ToList();
        var between = Enumerable.Range(0, old.Count).Select(i => Math.Min(99, StoredVideo.Psnr(old[i], chunked[i]))).ToList();
        // Independent chunks cannot be bit-identical to one pass (the encoder's references and rate control differ
        // from the first boundary on); what must hold is that they are as faithful to the source.
        Assert.True(newPsnr.Average() >= oldPsnr.Average() - 1,
            string.Create(CultureInfo.InvariantCulture, $"chunked {newPsnr.Average():F2} dB vs single pass {oldPsnr.Average():F2} dB against the source"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{identical.Count} of {old.Count} frames identical to the single-pass encode (first differing {Enumerable.Range(0, old.Count).Except(identical).DefaultIfEmpty(-1).First()}, " +
            $"chunk boundaries at {string.Join(",", boundaries.Order())}); PSNR vs source: single pass mean {oldPsnr.Average():F2} dB, chunked mean {newPsnr.Average():F2} dB " +
            $"(min {newPsnr.Min():F2}); chunked vs single pass: mean {between.Average():F2} dB, min {between.Min():F2} dB at frame {between.IndexOf(between.Min())}");
    }
}
