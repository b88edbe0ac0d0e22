using EmoFarm.Api.V1;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Testing;
using Xunit;

namespace EmoFarm.Farm.Tests.Faults;

/// <summary>
/// A RabbitMQ, a Redis with AOF (as the chart runs it) and a Swift of their own, because these tests restart them
/// under a render; and the frames of one uninterrupted render of <see cref="Parameters"/>, which every fault test's
/// render must equal (<see cref="FrameOracle"/>).
/// </summary>
public sealed class FaultServices : IAsyncLifetime
{
    private RabbitMqBroker? _rabbit;
    private RedisServer? _redis;
    private SwiftS3Server? _s3;
    private readonly Lazy<Task<IReadOnlyList<string>>> _reference;

    public FaultServices() => _reference = new(RenderReferenceAsync);

    public RabbitMqBroker Rabbit => _rabbit ?? throw new InvalidOperationException("The fixture has not started.");

    public RedisServer Redis => _redis ?? throw new InvalidOperationException("The fixture has not started.");

    public SwiftS3Server S3 => _s3 ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>2 s of speech at 25 fps: 50 frames in segments of 24 sharing 4, so 3 segments of 3, 3 and 2
    /// eight-frame clips (the tiny model's) and 2 motion-frame seams, which a worker renders. One sampling step: the
    /// oracle needs the same work twice, not good pictures.</summary>
    public static RenderParameters Parameters() => new()
    {
        Fps = 25,
        Width = 64,
        Height = 64,
        SamplingSteps = 1,
        SegmentFrames = 24,
        OverlapFrames = 4,
        Seed = 21,
        SeamStrategy = SeamStrategy.MotionFrames,
    };

    public static Task<byte[]> AudioAsync() => TestMedia.SpeechAsync(2);

    /// <summary>The uninterrupted render's frames, rendered once for every test that compares against it.</summary>
    public Task<IReadOnlyList<string>> ReferenceFramesAsync() => _reference.Value;

    internal Task<FarmHarness> CreateFarmAsync() => FarmHarness.CreateAsync(Rabbit, Redis, S3);

    private async Task<IReadOnlyList<string>> RenderReferenceAsync()
    {
        await using var farm = await CreateFarmAsync();
        await farm.StartOrchestratorAsync();
        await farm.StartWorkerAsync("reference");
        var render = await farm.SubmitAsync(TestMedia.Portrait(), await AudioAsync(), Parameters());
        var done = await farm.WaitFinishedAsync(render.Id, TimeSpan.FromMinutes(8));
        Assert.True(done.State == RenderState.Succeeded, $"the reference render {done.State}: {done.Error}\n{farm.Diagnostics()}");
        return await FrameOracle.FramesAsync(farm, render.Id, CancellationToken.None);
    }

    public async ValueTask InitializeAsync()
    {
        var starting = (RabbitMqBroker.StartAsync(), RedisServer.StartAsync(appendOnly: true), SwiftS3Server.StartAsync());
        _rabbit = await starting.Item1;
        _redis = await starting.Item2;
        _s3 = await starting.Item3;
    }

    public async ValueTask DisposeAsync()
    {
        if (_rabbit is not null)
            await _rabbit.DisposeAsync();
        if (_redis is not null)
            await _redis.DisposeAsync();
        if (_s3 is not null)
            await _s3.DisposeAsync();
    }
}
