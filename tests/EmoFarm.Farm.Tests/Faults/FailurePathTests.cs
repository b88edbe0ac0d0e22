using System.Net;
using System.Text.RegularExpressions;
using EmoFarm.Api.V1;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Testing;
using Grpc.Health.V1;
using Minio.DataModel.Args;
using Xunit;

namespace EmoFarm.Farm.Tests.Faults;

/// <summary>
/// Every way a render can give up ends in a terminal state with a cause a user can read, and an operator can run
/// a failed render again under its id, redoing only what was not done.
/// </summary>
[Collection(FaultsCollectionDefinition.Name)]
public sealed partial class FailurePathTests(FaultServices services)
{
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromMinutes(8);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EncodeFailsEveryTime_FailsWithItsCause_ThenRetryFinishesUnderTheSameIdRenderingNothingAgain()
    {
        await using var farm = await services.CreateFarmAsync();
        Retries(farm, 1);
        await farm.StartOrchestratorAsync();
        await farm.StartWorkerAsync("worker");
        var audio = await FaultServices.AudioAsync();
        var render = await farm.SubmitAsync(TestMedia.Portrait(), audio, FaultServices.Parameters());
        // Only the encode reads the original upload again (the segments have their slices): without it, every
        // encode attempt fails.
        var s3 = farm.S3Client();
        await s3.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(farm.Bucket).WithObject(BlobKeys.OriginalAudio(render.Tenant, render.Id)), Ct);

        var failed = await farm.WaitFinishedAsync(render.Id, RenderTimeout);
        Assert.Equal(RenderState.Failed, failed.State);
        Assert.StartsWith("encoding failed after 2 attempts: BlobNotFoundException", failed.Error, StringComparison.Ordinal);
        var watch = await EmofarmAsync(farm, "watch", render.Id);
        Assert.Equal(1, watch.ExitCode);
        Assert.Contains($"{render.Id}: failed encoding failed after 2 attempts", watch.Output, StringComparison.Ordinal);
        var before = (await farm.Client.GetRenderAsync(new GetRenderRequest { Id = render.Id }, cancellationToken: Ct)).Segments;
        Assert.All(before, s => Assert.Equal("done", s.State));

        // The operator puts the input back and retries.
        using (var stream = new MemoryStream(audio))
        {
            await s3.PutObjectAsync(new PutObjectArgs().WithBucket(farm.Bucket).WithObject(BlobKeys.OriginalAudio(render.Tenant, render.Id))
                .WithStreamData(stream).WithObjectSize(audio.Length), Ct);
        }

        var retry = await EmofarmAsync(farm, "retry", render.Id, "--watch");
        Assert.True(retry.Succeeded, retry.Output);

        var after = await farm.Client.GetRenderAsync(new GetRenderRequest { Id = render.Id }, cancellationToken: Ct);
        Assert.Equal((RenderState.Succeeded, ""), (after.State, after.Error));
        Assert.Equal(before.Select(s => s.Attempts), after.Segments.Select(s => s.Attempts)); // no segment ran again
        FrameOracle.AssertSameFrames(await services.ReferenceFramesAsync(), await FrameOracle.FramesAsync(farm, render.Id, Ct));
        var again = await EmofarmAsync(farm, "retry", render.Id);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("only a failed render can be retried", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SegmentCrashesItsWorkerEveryTime_FailsAfterExactlyTheAttempts_AndRetryCountsAfresh()
    {
        await using var farm = await services.CreateFarmAsync();
        farm.OrchestratorSettings["Orchestrator__MaxSegmentAttempts"] = "2";
        await farm.StartOrchestratorAsync();
        var parameters = FaultServices.Parameters();
        parameters.SegmentFrames = 60; // one segment
        var render = await farm.SubmitAsync(TestMedia.Portrait(), await FaultServices.AudioAsync(), parameters);

        ulong seen = 0;
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var worker = await farm.StartWorkerAsync($"doomed-{attempt}");
            seen = (await farm.WatchUntilAsync(render.Id, r => r.Progress.FramesDone > seen, RenderTimeout)).Progress.FramesDone;
            worker.Kill(UnixSignal.Kill);
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);
        }
        await farm.StartWorkerAsync("survivor");

        var failed = await farm.WaitFinishedAsync(render.Id, RenderTimeout);
        const string Cause = "the worker stopped during each of its 2 attempts (killed or crashed)";
        Assert.Equal((RenderState.Failed, $"segment 0 failed after 2 attempts: {Cause}"), (failed.State, failed.Error));
        var segment = Assert.Single((await farm.Client.GetRenderAsync(new GetRenderRequest { Id = render.Id }, cancellationToken: Ct)).Segments);
        Assert.Equal(("failed", 2u, Cause), (segment.State, segment.Attempts, segment.Error));
        var get = await EmofarmAsync(farm, "get", render.Id);
        Assert.Contains(Cause, get.Output, StringComparison.Ordinal);

        await farm.Client.RetryRenderAsync(new RetryRenderRequest { Id = render.Id }, cancellationToken: Ct);
        var done = await farm.WaitFinishedAsync(render.Id, RenderTimeout);
        Assert.True(done.State == RenderState.Succeeded, $"{done.State}: {done.Error}\n{farm.Diagnostics()}");
        segment = Assert.Single((await farm.Client.GetRenderAsync(new GetRenderRequest { Id = render.Id }, cancellationToken: Ct)).Segments);
        Assert.Equal(("done", 1u, "survivor"), (segment.State, segment.Attempts, segment.Worker));
    }

    [Fact]
    public async Task RendererThrowsForOneSegment_FailsAfterExactlyTheAttempts_AndRetryRendersOnlyWhatWasNotDone()
    {
        await using var farm = await services.CreateFarmAsync();
        farm.OrchestratorSettings["Orchestrator__MaxSegmentAttempts"] = "2";
        await farm.StartOrchestratorAsync();
        var parameters = FaultServices.Parameters();
        var doomed = Seeds.ForSegment(parameters.Seed, 1, 0);
        Render render;
        await using (await InProcessWorker.StartAsync(farm.WorkerConfiguration("throwing", NoSettings), _ => new ScriptedRenderer(s => s.Seed == doomed), Ct))
        {
            render = await farm.SubmitAsync(TestMedia.Portrait(), await FaultServices.AudioAsync(), parameters);
            var failed = await farm.WaitFinishedAsync(render.Id, RenderTimeout);
            Assert.Equal(RenderState.Failed, failed.State);
            Assert.Equal($"segment 1 failed after 2 attempts: InvalidOperationException: scripted failure for the work seeded {doomed}", failed.Error);
        }
        var before = (await farm.Client.GetRenderAsync(new GetRenderRequest { Id = render.Id }, cancellationToken: Ct)).Segments;
        Assert.Equal(("failed", 2u), (before[1].State, before[1].Attempts));

        await using (await InProcessWorker.StartAsync(farm.WorkerConfiguration("healthy", NoSettings), _ => new ScriptedRenderer(_ => false), Ct))
        {
            await farm.Client.RetryRenderAsync(new RetryRenderRequest { Id = render.Id }, cancellationToken: Ct);
            var done = await farm.WaitFinishedAsync(render.Id, RenderTimeout);
            Assert.True(done.State == RenderState.Succeeded, $"{done.State}: {done.Error}\n{farm.Diagnostics()}");
        }
        var after = (await farm.Client.GetRenderAsync(new GetRenderRequest { Id = render.Id }, cancellationToken: Ct)).Segments;
        Assert.Equal(("healthy", 1u), (after[1].Worker, after[1].Attempts));
        foreach (var (was, now) in before.Zip(after).Where(p => p.First.State == "done"))
            Assert.Equal((was.Worker, was.Attempts), (now.Worker, now.Attempts));
    }

    [Fact]
    public async Task SeamContinuationThrowsEveryTime_FallsBackToACrossfade_RecordedInQualityAndMetrics()
    {
        await using var farm = await services.CreateFarmAsync();
        await farm.StartOrchestratorAsync();
        var parameters = FaultServices.Parameters();
        var doomed = Seeds.Derive(parameters.Seed, 1_000_000 + 0);
        await using (await InProcessWorker.StartAsync(farm.WorkerConfiguration("worker", NoSettings), _ => new ScriptedRenderer(s => s.Seed == doomed), Ct))
        {
            var render = await farm.SubmitAsync(TestMedia.Portrait(), await FaultServices.AudioAsync(), parameters);
            var done = await farm.WaitFinishedAsync(render.Id, RenderTimeout);
            Assert.True(done.State == RenderState.Succeeded, $"{done.State}: {done.Error}\n{farm.Diagnostics()}");

            var quality = (await farm.Client.GetRenderAsync(new GetRenderRequest { Id = render.Id }, cancellationToken: Ct)).Quality;
            var seam = Assert.Single(quality.Seams); // no face models here: only the fallback is recorded
            Assert.Equal(0u, seam.Index);
            Assert.Equal($"the motion-frame continuation failed after 2 attempts: InvalidOperationException: scripted failure for the work seeded {doomed}", seam.Fallback);
            Assert.Contains(quality.Flags, f => f.StartsWith("seam 0: crossfaded instead of continued with motion frames", StringComparison.Ordinal));
        }
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(farm.HttpAddress, "metrics"), Ct);
        Assert.Matches(FailedFallbacks(), metrics);
    }

    [Fact]
    public async Task Readiness_OverHttpAndGrpc_FallsWithRedis()
    {
        await using var farm = await services.CreateFarmAsync();
        await farm.StartOrchestratorAsync();
        using var http = new HttpClient();
        var health = new Health.HealthClient(Grpc.Net.Client.GrpcChannel.ForAddress(farm.Address));
        var ready = new Uri(farm.HttpAddress, "healthz/ready");
        // What the chart's probes ask: readiness about the API, liveness about the server as a whole.
        var api = new HealthCheckRequest { Service = RenderService.Descriptor.FullName };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(ready, Ct)).StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(api, cancellationToken: Ct)).Status);

        await services.Redis.KillAsync();
        try
        {
            var report = await http.GetAsync(ready, Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, report.StatusCode);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(api, cancellationToken: Ct)).Status);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct)).Status);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(farm.HttpAddress, "healthz/live"), Ct)).StatusCode);
        }
        finally
        {
            await services.Redis.RestartAsync(Ct);
        }
    }

    private static readonly Dictionary<string, string?> NoSettings = [];

    private static void Retries(FarmHarness farm, int limit)
    {
        farm.OrchestratorSettings["Retry__Limit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        farm.OrchestratorSettings["Retry__FirstInterval"] = "00:00:00.2";
        farm.OrchestratorSettings["Retry__MaxInterval"] = "00:00:00.2";
    }

    private static Task<ChildProcessResult> EmofarmAsync(FarmHarness farm, params string[] args) => ChildProcess.RunAsync(new ChildProcessOptions
    {
        FileName = "dotnet",
        Arguments = [RepoPaths.Assembly("EmoFarm.Cli", "emofarm.dll"), .. args, "--server", farm.Address, "--api-key", farm.OperatorKey],
    }, RenderTimeout, Ct);

    [GeneratedRegex("""emofarm_seam_fallbacks_total\{[^}]*reason="failed"[^}]*\} 1""")]
    private static partial Regex FailedFallbacks();
}
