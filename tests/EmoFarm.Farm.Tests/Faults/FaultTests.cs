using EmoFarm.Api.V1;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Testing;
using StackExchange.Redis;
using Xunit;

namespace EmoFarm.Farm.Tests.Faults;

/// <summary>
/// Faults under a render, each on real services and processes, each ending with the determinism oracle: the
/// interrupted render's video decodes to exactly the frames of the uninterrupted one.
/// </summary>
[Collection(FaultsCollectionDefinition.Name)]
public sealed class FaultTests(FaultServices services)
{
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromMinutes(8);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WorkerKilledThreeTimes_TheVideoIsTheUninterruptedOne()
    {
        await using var farm = await services.CreateFarmAsync();
        // The kills may all land in one segment, and each counts as one of its attempts (3 by default).
        farm.OrchestratorSettings["Orchestrator__MaxSegmentAttempts"] = "5";
        await farm.StartOrchestratorAsync();
        var worker = await farm.StartWorkerAsync("worker-0");
        var render = await SubmitAsync(farm);

        ulong seen = 0;
        for (var kill = 1; kill <= 3; kill++)
        {
            // A clip stored since the last kill: the worker is inside a segment, with work stored and work to do.
            var progress = await farm.WatchUntilAsync(render.Id, r => r.Progress.FramesDone > seen, RenderTimeout);
            Assert.True(progress.Progress.FramesDone < progress.Progress.FramesTotal, "the render finished before the kills were done");
            seen = progress.Progress.FramesDone;
            worker.Kill(UnixSignal.Kill);
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);
            worker = await farm.StartWorkerAsync($"worker-{kill}");
        }

        await AssertLikeTheReferenceAsync(farm, render.Id);
        var stored = await farm.Client.GetRenderAsync(new GetRenderRequest { Id = render.Id }, cancellationToken: Ct);
        Assert.True(stored.Segments.Sum(s => s.Attempts) >= stored.Segments.Count + 2, $"attempts {string.Join(",", stored.Segments.Select(s => s.Attempts))}");
    }

    [Fact]
    public async Task OrchestratorKilledBeforeDispatch_RecoveryDispatchesAndTheVideoIsTheUninterruptedOne()
    {
        await using var farm = await services.CreateFarmAsync();
        var first = await farm.StartOrchestratorAsync();
        // No worker yet: the commands wait in their queue. Purging them and clearing the render's "dispatched" mark
        // leaves Redis and RabbitMQ exactly as an orchestrator that died between storing the render and publishing.
        var render = await SubmitAsync(farm);
        first.Kill(UnixSignal.Kill);
        await first.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);
        var purged = await services.Rabbit.CtlAsync(["purge_queue", "-p", farm.VirtualHost, "render-segment"], Ct);
        Assert.True(purged.Succeeded, purged.Output);
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(services.Redis.ConnectionString))
            Assert.True(await redis.GetDatabase().HashDeleteAsync($"{farm.RedisPrefix}render:{render.Id}", "dispatched"));

        var second = await farm.StartOrchestratorAsync();
        await second.WaitForOutputAsync(l => l.Contains("was not fully dispatched", StringComparison.Ordinal), TimeSpan.FromSeconds(60), Ct);
        // Before any worker exists, the segments wait in their queue.
        Assert.Contains("render-segment\t3", (await services.Rabbit.CtlAsync(["list_queues", "-p", farm.VirtualHost, "name", "messages"], Ct)).Output,
            StringComparison.Ordinal);
        await farm.StartWorkerAsync("worker");

        await AssertLikeTheReferenceAsync(farm, render.Id);
    }

    [Fact]
    public async Task OrchestratorKilledWhileReconciling_TheVideoIsTheUninterruptedOne()
    {
        await using var farm = await services.CreateFarmAsync();
        var first = await farm.StartOrchestratorAsync();
        await farm.StartWorkerAsync("worker");
        var render = await SubmitAsync(farm);

        // Every segment is done and a worker renders the seams' continuations.
        await farm.WatchUntilAsync(render.Id, r => r.State == RenderState.Reconciling, RenderTimeout);
        first.Kill(UnixSignal.Kill);
        await first.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);
        await farm.StartOrchestratorAsync();

        await AssertLikeTheReferenceAsync(farm, render.Id);
    }

    [Fact]
    public async Task OrchestratorKilledWhileEncoding_TheVideoIsTheUninterruptedOne()
    {
        await using var farm = await services.CreateFarmAsync();
        var first = await farm.StartOrchestratorAsync();
        await farm.StartWorkerAsync("worker");
        var render = await SubmitAsync(farm);

        await farm.WatchUntilAsync(render.Id, r => r.State == RenderState.Encoding, RenderTimeout);
        first.Kill(UnixSignal.Kill);
        await first.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);
        // The kill must have landed inside the encode for this test to mean anything.
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(services.Redis.ConnectionString))
            Assert.Equal((int)EmoFarm.Farm.State.RenderState.Encoding, (int)await redis.GetDatabase().HashGetAsync($"{farm.RedisPrefix}render:{render.Id}", "state"));
        await farm.StartOrchestratorAsync();

        await AssertLikeTheReferenceAsync(farm, render.Id);
    }

    [Fact]
    public async Task RabbitMqRestartedMidRender_TheVideoIsTheUninterruptedOne()
    {
        await using var farm = await services.CreateFarmAsync();
        await farm.StartOrchestratorAsync();
        await farm.StartWorkerAsync("worker");
        var render = await SubmitAsync(farm);

        await farm.WatchUntilAsync(render.Id, r => r.Progress.FramesDone > 0, RenderTimeout);
        await services.Rabbit.RestartAsync(Ct);

        await AssertLikeTheReferenceAsync(farm, render.Id);
    }

    [Fact]
    public async Task RedisKilledAndRestartedMidRender_WithAof_TheVideoIsTheUninterruptedOne()
    {
        await using var farm = await services.CreateFarmAsync();
        await farm.StartOrchestratorAsync();
        await farm.StartWorkerAsync("worker");
        var render = await SubmitAsync(farm);

        await farm.WatchUntilAsync(render.Id, r => r.Progress.FramesDone > 0, RenderTimeout);
        await services.Redis.KillAsync();
        await services.Redis.RestartAsync(Ct);

        await AssertLikeTheReferenceAsync(farm, render.Id);
    }

    [Fact]
    public async Task S3RestartedMidRender_TheVideoIsTheUninterruptedOne()
    {
        await using var farm = await services.CreateFarmAsync();
        await farm.StartOrchestratorAsync();
        await farm.StartWorkerAsync("worker");
        var render = await SubmitAsync(farm);

        await farm.WatchUntilAsync(render.Id, r => r.Progress.FramesDone > 0, RenderTimeout);
        await services.S3.RestartAsync(Ct);

        await AssertLikeTheReferenceAsync(farm, render.Id);
    }

    private static async Task<Render> SubmitAsync(FarmHarness farm) =>
        await farm.SubmitAsync(TestMedia.Portrait(), await FaultServices.AudioAsync(), FaultServices.Parameters());

    private async Task AssertLikeTheReferenceAsync(FarmHarness farm, string renderId)
    {
        var done = await farm.WaitFinishedAsync(renderId, RenderTimeout);
        Assert.True(done.State == RenderState.Succeeded, $"{done.State}: {done.Error}\n{farm.Diagnostics()}");
        FrameOracle.AssertSameFrames(await services.ReferenceFramesAsync(), await FrameOracle.FramesAsync(farm, renderId, Ct));
    }
}
