using EmoFarm.Api.V1;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Farm.Tests.Services;
using EmoFarm.Testing;
using Grpc.Core;
using Xunit;

namespace EmoFarm.Farm.Tests.Preview;

/// <summary>
/// GetPreview on the real orchestrator, broker, store and bucket, with a worker in the test process whose renderer
/// holds one segment (<see cref="GatedRenderer"/>): mid-render the playlist is valid HLS that ffmpeg plays, and lists
/// exactly the chunks stored; once done it lists them all and ends.
/// </summary>
[Collection(ServicesCollectionDefinition.Name)]
public sealed class PreviewTests(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3)
{
    private const int Fps = 25;
    private const ulong Seed = 31;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // 3.3 s at 25 fps is 83 frames: segments of 24 sharing 4 start at 0, 20, 40 and 60, so chunks of 20, 20, 20 and
    // 23 frames. Crossfaded seams are blended on the orchestrator, so holding segment 2 leaves chunks 0 and 1 final.
    private static RenderParameters Parameters() => new()
    {
        Fps = Fps,
        Width = 64,
        Height = 64,
        SamplingSteps = 1,
        SegmentFrames = 24,
        OverlapFrames = 4,
        Seed = Seed,
        SeamStrategy = SeamStrategy.Crossfade,
        SeparateVocals = false,
    };

    [Fact]
    public async Task GetPreview_MidRender_PlaysExactlyTheStoredChunks_AndOnceDone_AllOfThemAndEnds()
    {
        await using var farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        farm.OrchestratorSettings["Quality__Enabled"] = "false";
        await farm.StartOrchestratorAsync();
        using var folder = new TempFolder("preview");
        var audio = await TestMedia.SpeechAsync(3.3);
        var render = await farm.SubmitAsync(TestMedia.Portrait(), audio, Parameters());

        // No worker yet, so no chunk: the preview does not exist yet, and says why.
        var early = await Assert.ThrowsAsync<RpcException>(async () => await farm.Client.GetPreviewAsync(new GetPreviewRequest { Id = render.Id }, cancellationToken: Ct));
        Assert.Equal(StatusCode.FailedPrecondition, early.StatusCode);
        Assert.Contains("no finished chunk yet", early.Status.Detail, StringComparison.Ordinal);
        var tooLong = await Assert.ThrowsAsync<RpcException>(async () =>
            await farm.Client.GetPreviewAsync(new GetPreviewRequest { Id = render.Id, UrlTtlSeconds = 86_401 }, cancellationToken: Ct));
        Refusal.AssertViolation(tooLong, "url_ttl_seconds", "86401 is over the limit of 86400");

        // Watching from before the first chunk, the CLI prints the preview's URL once, as that chunk lands.
        await using var watch = ChildProcess.Start(Cli(farm, "watch", render.Id));
        var gated = new GatedRenderer(Seeds.ForSegment(Seed, 2, 0));
        await using var worker = await InProcessWorker.StartAsync(farm.WorkerConfiguration("gated", new Dictionary<string, string?> { ["Quality:Enabled"] = "false" }),
            _ => gated, Ct);
        await gated.Held.WaitAsync(Timeout, Ct);
        await farm.WatchUntilAsync(render.Id, r => r.Progress.ChunksReady >= 2, Timeout);
        var held = await farm.Client.GetRenderAsync(new GetRenderRequest { Id = render.Id }, cancellationToken: Ct);
        Assert.Equal((RenderState.Rendering, 4, 2u), (held.State, held.Segments.Count, held.Progress.ChunksReady));
        var segments = held.Segments.OrderBy(s => s.Index).ToList();

        var mid = await farm.Client.GetPreviewAsync(new GetPreviewRequest { Id = render.Id }, cancellationToken: Ct);
        Assert.Equal((2u, 4u, false), (mid.ChunksReady, mid.ChunksTotal, mid.Complete));
        Assert.Equal((double)segments[2].FirstFrame / Fps, mid.SecondsReady, precision: 9);
        var playlist = await FetchAsync(mid.Url);
        Assert.Contains("#EXT-X-PLAYLIST-TYPE:EVENT", playlist, StringComparison.Ordinal);
        Assert.DoesNotContain("#EXT-X-ENDLIST", playlist, StringComparison.Ordinal);
        AssertEntries(playlist, farm, render.Id, segments, 2);
        Assert.Equal("hls", (await StoredVideo.RunAsync("ffprobe", Ct, "-v", "error", "-show_entries", "format=format_name", "-of", "csv=p=0", mid.Url)).Trim());
        // An MPEG-TS lists its stream twice, once in its program.
        Assert.Equal(["h264"], (await StoredVideo.RunAsync("ffprobe", Ct, "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", mid.Url))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct());
        var chunks = new List<IReadOnlyList<string>>();
        for (var i = 0; i < 2; i++)
            chunks.Add(await ChunkFramesAsync(farm, render.Id, i, folder));
        Assert.Equal([.. chunks.SelectMany(c => c)], await PlayedFramesAsync(mid.Url));
        Assert.Equal((int)segments[2].FirstFrame, chunks.Sum(c => c.Count));
        var printed = await ChildProcess.RunAsync(Cli(farm, "preview", render.Id, "--ttl", "600"), Timeout, Ct);
        Assert.True(printed.Succeeded, printed.Output);
        Assert.Contains("2/4 chunks, 1.6 s, growing", printed.Output, StringComparison.Ordinal);
        // stdout and stderr share the output, in either order.
        AssertEntries(await FetchAsync(Assert.Single(printed.Output.Split('\n'), l => l.StartsWith("http", StringComparison.Ordinal)).Trim()), farm, render.Id, segments, 2);

        gated.Release();
        var done = await farm.WaitFinishedAsync(render.Id, Timeout);
        Assert.True(done.State == RenderState.Succeeded, $"{done.State}: {done.Error}\n{farm.Diagnostics()}");
        var end = await farm.Client.GetPreviewAsync(new GetPreviewRequest { Id = render.Id, UrlTtlSeconds = 86_400 }, cancellationToken: Ct);
        Assert.Equal((4u, 4u, true), (end.ChunksReady, end.ChunksTotal, end.Complete));
        var final = await FetchAsync(end.Url);
        Assert.EndsWith("\n#EXT-X-ENDLIST\n", final, StringComparison.Ordinal);
        AssertEntries(final, farm, render.Id, segments, 4);
        for (var i = 2; i < 4; i++)
            chunks.Add(await ChunkFramesAsync(farm, render.Id, i, folder));
        var frames = await PlayedFramesAsync(end.Url);
        Assert.Equal([.. chunks.SelectMany(c => c)], frames);
        var audioPath = folder.File("input.wav");
        await File.WriteAllBytesAsync(audioPath, audio, Ct);
        Assert.Equal((int)Math.Ceiling(await TestMedia.AudioSecondsAsync(audioPath) * Fps - 1e-6), frames.Count);
        Assert.Equal((double)frames.Count / Fps, end.SecondsReady, precision: 9);

        Assert.Equal(0, await watch.WaitForExitAsync(Timeout, Ct));
        var lines = watch.OutputLines.ToList();
        var shown = Assert.Single(lines, l => l.StartsWith("preview: ", StringComparison.Ordinal));
        AssertEntries(await FetchAsync(shown["preview: ".Length..]), farm, render.Id, segments, 4);
        Assert.True(lines.IndexOf(shown) < lines.IndexOf($"{render.Id}: succeeded"), string.Join('\n', lines));
    }

    private static ChildProcessOptions Cli(FarmHarness farm, params string[] args) => new()
    {
        FileName = "dotnet",
        Arguments = [RepoPaths.Assembly("EmoFarm.Cli", "emofarm.dll"), .. args, "--server", farm.Address, "--api-key", farm.OperatorKey],
        Name = $"emofarm {args[0]}",
    };

    private static async Task<string> FetchAsync(string url)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(url), Ct);
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/vnd.apple.mpegurl", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    /// <summary>The playlist's entries are the first <paramref name="count"/> chunks, in order, each as long as its span.</summary>
    private static void AssertEntries(string playlist, FarmHarness farm, string renderId, List<SegmentProgress> segments, int count)
    {
        var lines = playlist.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var uris = lines.Where(l => !l.StartsWith('#')).Select(l => new Uri(l)).ToList();
        Assert.Equal(
            Enumerable.Range(0, count).Select(i => $"/{farm.Bucket}/{BlobKeys.Chunk(farm.Tenant, renderId, i)}"),
            uris.Select(u => u.AbsolutePath));
        var frames = Enumerable.Range(0, count).Select(i => (int)((i + 1 < segments.Count ? segments[i + 1].FirstFrame : segments[i].FirstFrame + segments[i].FrameCount) - segments[i].FirstFrame));
        Assert.Equal(frames.Select(f => FormattableString.Invariant($"#EXTINF:{f / (double)Fps:0.000000},")), lines.Where(l => l.StartsWith("#EXTINF:", StringComparison.Ordinal)));
    }

    private static async Task<IReadOnlyList<string>> ChunkFramesAsync(FarmHarness farm, string renderId, int chunk, TempFolder folder)
    {
        var path = folder.File($"chunk-{chunk}.ts");
        await StoredVideo.DownloadAsync(farm, BlobKeys.Chunk(farm.Tenant, renderId, chunk), path, Ct);
        return await FramesAsync(path);
    }

    /// <summary>The MD5 of every decoded frame, as ffmpeg plays the input to a null output of frame checksums.</summary>
    private static Task<IReadOnlyList<string>> FramesAsync(string input) => FramesAsync([], input);

    /// <summary>
    /// The same for a playlist, from its first entry; an unended one is live, and ffmpeg, like any player, would wait
    /// for more, so it stops at the second reload that brings nothing new (one may come early, mid-way).
    /// </summary>
    private static Task<IReadOnlyList<string>> PlayedFramesAsync(string url) =>
        FramesAsync(["-live_start_index", "0", "-m3u8_hold_counters", "2"], url);

    private static async Task<IReadOnlyList<string>> FramesAsync(string[] options, string input) =>
        [.. (await StoredVideo.RunAsync("ffmpeg", Ct, ["-v", "error", .. options, "-i", input, "-map", "0:v:0", "-f", "framemd5", "-"]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#')).Select(l => l.Split(',')[^1].Trim())];
}
