using EmoFarm.Api.V1;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Farm.Tests.Services;
using Grpc.Core;
using MassTransit;

namespace EmoFarm.Farm.Tests.Scheduling;

/// <summary>
/// A farm for the scheduler's tests: the orchestrator process and <see cref="Workers"/> workers in this process with
/// <see cref="FixedTimeRenderer"/> (one GPU each), every segment they consume logged in <see cref="Log"/>.
/// </summary>
internal sealed class FairShareFarm(FarmHarness harness, List<InProcessWorker> workers, ConsumeLog log) : IAsyncDisposable
{
    public const int Workers = 3;
    public static readonly TimeSpan ClipTime = TimeSpan.FromMilliseconds(100);
    // The face checks read every frame back and run their nets: seconds a segment on this machine, which would
    // drown the service time the scheduler is measured against. Retakes, which they drive, are not at issue here.
    private static readonly Dictionary<string, string?> WorkerSettings = new() { ["Quality:Enabled"] = "false" };

    public FarmHarness Harness => harness;

    public ConsumeLog Log => log;

    public static async Task<FairShareFarm> StartAsync(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3, Dictionary<string, string> settings, CancellationToken ct)
    {
        var harness = await FarmHarness.CreateAsync(rabbit, redis, s3);
        harness.OrchestratorSettings["Quality__Enabled"] = "false";
        foreach (var (key, value) in settings)
            harness.OrchestratorSettings[key] = value;
        await harness.StartOrchestratorAsync();
        var log = new ConsumeLog();
        var workers = new List<InProcessWorker>();
        for (var i = 0; i < Workers; i++)
        {
            var name = $"worker-{i}";
            workers.Add(await InProcessWorker.StartAsync(harness.WorkerConfiguration(name, WorkerSettings), _ => new FixedTimeRenderer(ClipTime), ct,
                services => services.AddConsumeObserver(_ => log.For(name))));
        }
        return new FairShareFarm(harness, workers, log);
    }

    /// <summary>A new tenant, and a client calling as it.</summary>
    public async Task<RenderService.RenderServiceClient> TenantAsync(string name, CancellationToken ct)
    {
        var key = await new TenantService.TenantServiceClient(harness.Invoker(harness.OperatorKey))
            .CreateTenantAsync(new CreateTenantRequest { Name = name }, cancellationToken: ct);
        return new RenderService.RenderServiceClient(harness.Invoker(key.Secret));
    }

    /// <summary>A render of about <paramref name="segments"/> one-clip segments: 8 frames each, sharing 1, at 60 fps.</summary>
    public static async Task<Render> SubmitAsync(RenderService.RenderServiceClient client, int segments, CancellationToken ct)
    {
        var audio = await TestMedia.SpeechAsync((8 + 7 * (segments - 1)) / 60.0);
        using var call = client.CreateRenderStream(cancellationToken: ct);
        var parameters = new RenderParameters
        {
            Fps = 60,
            Width = 64,
            Height = 64,
            SamplingSteps = 1,
            SegmentFrames = 8,
            OverlapFrames = 1,
            Seed = 5,
            SeamStrategy = SeamStrategy.Crossfade,
            SeparateVocals = false,
        };
        await call.RequestStream.WriteAsync(new CreateRenderChunk { Request = new CreateRenderRequest { Parameters = parameters } }, ct);
        await call.RequestStream.WriteAsync(new CreateRenderChunk { Image = Google.Protobuf.ByteString.CopyFrom(TestMedia.Portrait()) }, ct);
        foreach (var chunk in audio.Chunk(256 * 1024))
            await call.RequestStream.WriteAsync(new CreateRenderChunk { Audio = Google.Protobuf.ByteString.CopyFrom(chunk) }, ct);
        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }

    /// <summary>Follows the render as its own tenant sees it until <paramref name="until"/> holds.</summary>
    public Task<Render> WaitAsync(RenderService.RenderServiceClient client, string id, Func<Render, bool> until, TimeSpan timeout) =>
        harness.WatchUntilAsync(id, until, timeout, client);

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(workers.Select(w => w.DisposeAsync().AsTask()));
        await harness.DisposeAsync();
    }
}
