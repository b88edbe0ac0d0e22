using System.Globalization;
using EmoFarm.Api.V1;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Testing;
using StackExchange.Redis;
using Xunit;

namespace EmoFarm.Farm.Tests.Faults;

/// <summary>
/// <c>kill -9</c> of a worker in the middle of a chunk encode. The worker runs the real ffmpeg behind a gate in its
/// PATH: a chunk encode (the only ffmpeg run given <c>-output_ts_offset</c>) marks that it has begun and then blocks
/// on a FIFO nobody writes, so the kill lands inside the encode by construction, not by timing.
/// </summary>
[Collection(FaultsCollectionDefinition.Name)]
public sealed class ChunkEncodeKillTests(FaultServices services)
{
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromMinutes(8);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WorkerKilledDuringAChunkEncode_AnotherWorkerEncodesIt_AndTheVideoIsTheUninterruptedOne()
    {
        using var gate = new TempFolder("ffmpeg-gate");
        var held = await GateAsync(gate);
        await using var farm = await services.CreateFarmAsync();
        await farm.StartOrchestratorAsync();
        var gated = await farm.StartWorkerAsync("gated", new Dictionary<string, string?>
        {
            ["Model__Config"] = "tiny",
            ["Model__RandomWeights"] = "true",
            ["PATH"] = $"{gate.Path}:{Environment.GetEnvironmentVariable("PATH")}",
        });
        var render = await farm.SubmitAsync(TestMedia.Portrait(), await FaultServices.AudioAsync(), FaultServices.Parameters());

        await held.WaitAsync(RenderTimeout, Ct);
        // The whole group, ffmpeg's gate included, as a lost machine takes everything on it.
        gated.Kill(UnixSignal.Kill, entireGroup: true);
        await gated.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);
        // Every chunk encode of the only worker was held, so none is stored: the one killed must be done again.
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(services.Redis.ConnectionString))
            Assert.Equal(0, await redis.GetDatabase().SetLengthAsync($"{farm.RedisPrefix}render:{render.Id}:chunks"));
        await farm.StartWorkerAsync("worker");

        var done = await farm.WaitFinishedAsync(render.Id, RenderTimeout);
        Assert.True(done.State == RenderState.Succeeded, $"{done.State}: {done.Error}\n{farm.Diagnostics()}");
        FrameOracle.AssertSameFrames(await services.ReferenceFramesAsync(), await FrameOracle.FramesAsync(farm, render.Id, Ct));
    }

    /// <summary>Writes the gate into <paramref name="folder"/>; the task completes when a chunk encode reaches it.</summary>
    private static async Task<Task> GateAsync(TempFolder folder)
    {
        var ffmpeg = (await StoredVideo.RunAsync("sh", Ct, "-c", "command -v ffmpeg")).Trim();
        var fifo = folder.File("gate");
        await StoredVideo.RunAsync("mkfifo", Ct, fifo);
        var script = folder.File("ffmpeg");
        await File.WriteAllTextAsync(script, string.Create(CultureInfo.InvariantCulture, $"""
            #!/bin/sh
            for arg in "$@"; do
              if [ "$arg" = "-output_ts_offset" ]; then
                : > "{folder.Path}/held.$$"
                read -r _ < "{fifo}"
              fi
            done
            exec "{ffmpeg}" "$@"

            """), Ct);
        await StoredVideo.RunAsync("chmod", Ct, "+x", script);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watcher = new FileSystemWatcher(folder.Path, "held.*");
        watcher.Created += (_, _) => reached.TrySetResult();
        watcher.EnableRaisingEvents = true;
        _ = reached.Task.ContinueWith(_ => watcher.Dispose(), TaskScheduler.Default);
        return reached.Task;
    }
}
