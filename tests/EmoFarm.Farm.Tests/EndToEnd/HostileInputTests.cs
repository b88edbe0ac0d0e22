using EmoFarm.Api.V1;
using EmoFarm.Farm.Tests.Corpus;
using EmoFarm.Farm.Tests.Services;
using Grpc.Health.V1;
using Minio.DataModel.Args;
using StackExchange.Redis;
using Xunit;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>
/// A fixed-seed sample of the hostile-input corpus against one real orchestrator, streamed and by bucket key: it
/// never goes down, every refusal is INVALID_ARGUMENT naming the field and stores nothing, every input is judged in
/// bounded time. The whole corpus runs as a benchmark (EmoFarm.Benchmarks hostile-inputs).
/// </summary>
[Collection(ServicesCollectionDefinition.Name)]
public sealed class HostileInputTests(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3)
{
    /// <summary>The CI sample: the corpus's first cases, every kind on both submission paths.</summary>
    private const int SampleSize = 200, CorpusSeed = 14;

    /// <summary>The orchestrator's per-file judging limit in this test; a case may take it once per file.</summary>
    private const double InspectTimeoutSeconds = 15;

    /// <summary>A 4096-pixel side keeps the decompression bomb (an image at the limit) quick enough for CI.</summary>
    private static readonly CorpusLimits Limits = new(MaxAudioSeconds: 20, MaxImageSide: 4096);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Corpus_FixedSeedSample_RefusedCleanlyWithinTheBoundAndTheOrchestratorStaysUp()
    {
        var seeds = await SeedMedia.CreateAsync(Path.Combine(RepoPaths.Root, "samples"), Limits);
        var corpus = new HostileCorpus(seeds, Limits, CorpusSeed);
        await using var farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        foreach (var (key, value) in Limits.Settings())
            farm.OrchestratorSettings[key] = value;
        farm.OrchestratorSettings["Orchestrator__InspectTimeoutSeconds"] = InspectTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var orchestrator = await farm.StartOrchestratorAsync();
        await using var store = await FarmStore.ConnectAsync(farm, redis, s3);
        var judge = new CaseJudge(farm.Client, farm.Tenant, store.SnapshotAsync, store.UploadAsync);

        var sample = corpus.Take(SampleSize).ToList();
        // Inputs that must be refused may store nothing, so they are judged side by side (ffprobe and ffmpeg runs
        // are most of the time, and wait on process start) and checked together: the farm stores exactly nothing.
        var mustRefuse = sample.Where(c => c.Expect == Expectation.Refuse).ToList();
        var verdicts = new System.Collections.Concurrent.ConcurrentQueue<Verdict>();
        var before = await judge.FarmOwnedAsync(Ct);
        await Parallel.ForEachAsync(mustRefuse, new ParallelOptions { MaxDegreeOfParallelism = 3, CancellationToken = Ct },
            async (c, ct) => verdicts.Enqueue(await judge.JudgeAsync(c, compareStored: false, ct)));
        var leftovers = (await judge.FarmOwnedAsync(Ct)).Except(before).ToList();
        Assert.True(leftovers.Count == 0, $"{mustRefuse.Count} refused inputs left {string.Join(", ", leftovers.Take(10))}");
        Assert.False(orchestrator.HasExited, $"the orchestrator exited ({orchestrator.ExitCode})\n{orchestrator.OutputTail()}");
        // The rest may be accepted, and an accepted render stores its inputs: one at a time, each compared alone.
        foreach (var c in sample.Except(mustRefuse))
        {
            verdicts.Enqueue(await judge.JudgeAsync(c, compareStored: true, Ct));
            Assert.False(orchestrator.HasExited, $"the orchestrator exited ({orchestrator.ExitCode}) on {c}\n{orchestrator.OutputTail()}");
        }

        var health = new Health.HealthClient(Grpc.Net.Client.GrpcChannel.ForAddress(farm.Address));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct)).Status);
        Assert.Equal(corpus.KindCount, verdicts.Select(v => v.Case.Kind).Distinct().Count());
        Assert.Contains(verdicts, v => v.Case.ViaBucket);
        Assert.Contains(verdicts, v => !v.Case.ViaBucket);
        var broken = verdicts.Where(v => v.Problem is not null).ToList();
        Assert.True(broken.Count == 0, $"{broken.Count} of {verdicts.Count} cases broke the contract:\n{string.Join('\n', broken)}");
        var bound = TimeSpan.FromSeconds(2 * InspectTimeoutSeconds + 10);
        var slowest = verdicts.MaxBy(v => v.Elapsed)!;
        Assert.True(slowest.Elapsed < bound, $"judged in {slowest.Elapsed}, over the bound of {bound}: {slowest}");
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', verdicts.OrderBy(v => v.Case.Index)));
    }

    /// <summary>The farm's Redis keys and bucket objects over one connection each: a snapshot per case must be cheap.</summary>
    private sealed class FarmStore(ConnectionMultiplexer redisConnection, Minio.IMinioClient minio, string prefix, string bucket) : IAsyncDisposable
    {
        public static async Task<FarmStore> ConnectAsync(FarmHarness farm, RedisFixture redis, S3Fixture s3) =>
            new(await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString), s3.CreateClient(), farm.RedisPrefix, farm.Bucket);

        public async Task<IReadOnlySet<string>> SnapshotAsync(CancellationToken ct)
        {
            var all = redisConnection.GetServers()[0].Keys(pattern: prefix + "*").Select(k => "redis:" + (string)k!).ToHashSet();
            await foreach (var item in minio.ListObjectsEnumAsync(new ListObjectsArgs().WithBucket(bucket).WithRecursive(true), ct))
                all.Add("s3:" + item.Key);
            return all;
        }

        public async Task UploadAsync(string key, byte[] data, CancellationToken ct)
        {
            using var stream = new MemoryStream(data);
            await minio.PutObjectAsync(new PutObjectArgs().WithBucket(bucket).WithObject(key).WithStreamData(stream)
                .WithObjectSize(data.Length).WithContentType("application/octet-stream"), ct);
        }

        public async ValueTask DisposeAsync()
        {
            minio.Dispose();
            await redisConnection.DisposeAsync();
        }
    }
}
