using EmoFarm.Api.V1;
using EmoFarm.Farm.Tests.Services;
using EmoFarm.Testing;
using Grpc.Core;
using Xunit;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>
/// The farm as deployed, in miniature: orchestrator and worker processes, real RabbitMQ, Redis and Swift S3, the
/// tiny model on random weights, driven through the public gRPC API. One farm for the class (<see cref="RenderFarm"/>).
/// </summary>
[Collection(ServicesCollectionDefinition.Name)]
public sealed class FarmRenderTests(RenderFarm shared) : IClassFixture<RenderFarm>
{
    private const int Fps = 25;
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromMinutes(8);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RenderParameters SmallRender(uint segmentFrames = 100) => new()
    {
        Fps = Fps,
        Width = 64,
        Height = 64,
        SamplingSteps = 2,
        SegmentFrames = segmentFrames,
        OverlapFrames = 4,
        Seed = 11,
    };

    [Fact]
    public async Task Render_TwoWorkers_VideoIsTheChunksWithTheAudioAndBothWorkersRendered()
    {
        var farm = shared.Farm;
        var audio = await TestMedia.SpeechAsync(8);

        // 200 frames in segments of 50: 5 segments, enough for both workers to take some.
        var render = await farm.SubmitAsync(TestMedia.Portrait(), audio, SmallRender(segmentFrames: 50));
        var done = await farm.WaitFinishedAsync(render.Id, RenderTimeout);
        Assert.True(done.State == RenderState.Succeeded, $"{done.State}: {done.Error}\n{farm.Diagnostics()}");

        using var folder = new TempFolder("e2e");
        var audioPath = folder.File("input.wav");
        await File.WriteAllBytesAsync(audioPath, audio, Ct);
        var audioSeconds = await TestMedia.AudioSecondsAsync(audioPath);
        var video = folder.File("render.mp4");
        await DownloadAsync(farm, render.Id, video);
        var facts = await TestMedia.ProbeAsync(video);

        Assert.InRange(facts.Duration, audioSeconds - 1.0 / Fps, audioSeconds + 1.0 / Fps);
        Assert.Equal((int)Math.Ceiling(audioSeconds * Fps - 1e-6), facts.VideoFrames, tolerance: 1);
        Assert.True(facts.HasAudio);
        Assert.Equal(("h264", "yuv420p"), (facts.Codec, facts.PixelFormat));
        await ChunkedOutput.AssertAssembledAsync(farm, render.Id, video, audioPath, folder, Ct);
        TestContext.Current.TestOutputHelper?.WriteLine(await ChunkedOutput.CompareWithSinglePassAsync(farm, render.Id, video, folder, Ct));

        var stored = await farm.Client.GetRenderAsync(new GetRenderRequest { Id = render.Id }, cancellationToken: Ct);
        Assert.True(stored.Segments.Count > 2);
        Assert.All(stored.Segments, s => Assert.Equal("done", s.State));
        Assert.Equal(["worker-a", "worker-b"], stored.Segments.Select(s => s.Worker).Distinct().Order());

        var result = await farm.Client.GetResultAsync(new GetResultRequest { Id = render.Id }, cancellationToken: Ct);
        Assert.Equal((ulong)new FileInfo(video).Length, result.SizeBytes);
        using var http = new HttpClient();
        Assert.Equal(await File.ReadAllBytesAsync(video, Ct), await http.GetByteArrayAsync(new Uri(result.Url), Ct));
    }

    [Fact]
    public async Task RestartOrchestrator_MidRender_RenderCompletes()
    {
        var farm = shared.Farm;
        var first = farm.Orchestrator!;
        // This one also covers the crossfade seam strategy; the others use the default, motion-frame continuation.
        var parameters = SmallRender(segmentFrames: 60);
        parameters.SeamStrategy = SeamStrategy.Crossfade;
        var render = await farm.SubmitAsync(TestMedia.Portrait(), await TestMedia.SpeechAsync(10), parameters);
        await farm.WatchUntilAsync(render.Id, r => r.Progress.FramesDone > 0, RenderTimeout);

        first.Kill(UnixSignal.Kill);
        await first.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);
        await farm.StartOrchestratorAsync();

        var done = await farm.WaitFinishedAsync(render.Id, RenderTimeout);
        Assert.True(done.State == RenderState.Succeeded, $"{done.State}: {done.Error}\n{farm.Diagnostics()}");
        Assert.Equal(done.Progress.SegmentsTotal, done.Progress.SegmentsDone);
    }

    [Fact]
    public async Task Cancel_MidRender_WorkersStopAndStateIsCancelled()
    {
        var farm = shared.Farm;
        var render = await farm.SubmitAsync(TestMedia.Portrait(), await TestMedia.SpeechAsync(30), SmallRender());
        await farm.WatchUntilAsync(render.Id, r => r.Progress.FramesDone > 0, RenderTimeout);

        var cancelled = await farm.Client.CancelRenderAsync(new CancelRenderRequest { Id = render.Id }, cancellationToken: Ct);
        Assert.Equal(RenderState.Cancelled, cancelled.State);
        // Whichever worker holds a segment of it stops.
        await await Task.WhenAny(shared.Workers.Select(w =>
            w.WaitForOutputAsync(l => l.Contains($"render {render.Id}", StringComparison.Ordinal) && l.Contains("stopped, the render was cancelled", StringComparison.Ordinal), TimeSpan.FromMinutes(2), Ct)));

        var after = await farm.Client.GetRenderAsync(new GetRenderRequest { Id = render.Id }, cancellationToken: Ct);
        Assert.Equal(RenderState.Cancelled, after.State);
        Assert.True(after.Progress.FramesDone < after.Progress.FramesTotal);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await farm.Client.GetResultAsync(new GetResultRequest { Id = render.Id }, cancellationToken: Ct));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    private static async Task DownloadAsync(FarmHarness farm, string id, string path)
    {
        await using var file = File.Create(path);
        using var call = farm.Client.DownloadResult(new GetResultRequest { Id = id }, cancellationToken: Ct);
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(Ct))
            await file.WriteAsync(chunk.Data.Memory, Ct);
    }
}
