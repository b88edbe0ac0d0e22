using EmoFarm.Api.V1;
using EmoFarm.Farm.Tests.Services;
using EmoFarm.Testing;
using Xunit;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>A worker asked to stop (Kubernetes sends SIGTERM) finishes its clip and hands the segment back.</summary>
[Collection(ServicesCollectionDefinition.Name)]
public sealed class WorkerShutdownTests(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sigterm_MidSegment_HandsTheSegmentBackAndTheRenderCompletes()
    {
        await using var farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        await farm.StartOrchestratorAsync();
        var leaving = await farm.StartWorkerAsync("leaving");
        var render = await farm.SubmitAsync(TestMedia.Portrait(), await TestMedia.SpeechAsync(6),
            new RenderParameters { Width = 64, Height = 64, SamplingSteps = 2, SegmentFrames = 200, OverlapFrames = 4 });
        await farm.WatchUntilAsync(render.Id, r => r.Progress.FramesDone > 0 && r.Progress.SegmentsDone == 0, TimeSpan.FromMinutes(5));

        leaving.Kill(UnixSignal.Terminate);
        await leaving.WaitForOutputAsync(l => l.Contains("handed back on shutdown", StringComparison.Ordinal), TimeSpan.FromMinutes(2), Ct);
        Assert.Equal(0, await leaving.WaitForExitAsync(TimeSpan.FromMinutes(2), Ct));
        await farm.StartWorkerAsync("staying");

        var done = await farm.WaitFinishedAsync(render.Id, TimeSpan.FromMinutes(5));
        Assert.True(done.State == RenderState.Succeeded, $"{done.State}: {done.Error}\n{farm.Diagnostics()}");
        var stored = await farm.Client.GetRenderAsync(new GetRenderRequest { Id = render.Id }, cancellationToken: Ct);
        var segment = Assert.Single(stored.Segments);
        Assert.Equal(("staying", 2u), (segment.Worker, segment.Attempts));
    }
}
