using System.Collections.Concurrent;
using System.Globalization;
using EmoFarm.Api.V1;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Tests.Corpus;
using EmoFarm.Testing;
using Grpc.Net.Client;
using Minio;
using Minio.DataModel.Args;
using StackExchange.Redis;

namespace EmoFarm.Benchmarks;

/// <summary>
/// The whole hostile-input corpus (HostileInputTests runs its first 200 in CI) against one orchestrator process on
/// real RabbitMQ, Redis and Swift: how each input was judged, how long it took, and whether the process survived.
/// </summary>
internal static class HostileInputsBenchmark
{
    private const string Bucket = "hostile", RedisPrefix = "hostile:";

    public static async Task RunAsync(BenchArgs args)
    {
        var count = args.Int("cases", 1000, 1);
        var seed = args.Int("seed", 14);
        var parallel = args.Int("parallel", 3, 1);
        var maxAudio = args.Int("max-audio-seconds", 3600, 1);
        var maxSide = args.Int("max-image-side", 8192, 64);
        args.RejectUnknown();
        var root = OrchestratorProcess.RepoRoot();

        Console.WriteLine("starting RabbitMQ, Redis and Swift S3 ...");
        await using var servers = await FarmServers.StartAsync();
        var limits = new CorpusLimits(maxAudio, maxSide);
        var config = servers.Configuration(Bucket);
        config["Redis:Prefix"] = RedisPrefix;
        foreach (var (key, value) in limits.Settings())
            config[key.Replace("__", ":", StringComparison.Ordinal)] = value;
        var crashes = 0;
        var orchestrator = await OrchestratorProcess.StartAsync(config);
        var grpcPort = orchestrator.Port;
        using var channel = GrpcChannel.ForAddress(orchestrator.Address);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(servers.Redis.ConnectionString);
        using var minio = new MinioClient().WithEndpoint(servers.S3.Endpoint).WithCredentials(servers.S3.AccessKey, servers.S3.SecretKey)
            .WithRegion(servers.S3.Region).Build();
        var judge = new CaseJudge(new RenderService.RenderServiceClient(channel), TenantName.Local, async ct =>
        {
            var all = redis.GetServers()[0].Keys(pattern: RedisPrefix + "*").Select(k => "redis:" + (string)k!).ToHashSet();
            await foreach (var item in minio.ListObjectsEnumAsync(new ListObjectsArgs().WithBucket(Bucket).WithRecursive(true), ct))
                all.Add("s3:" + item.Key);
            return all;
        }, async (key, data, ct) =>
        {
            using var stream = new MemoryStream(data);
            await minio.PutObjectAsync(new PutObjectArgs().WithBucket(Bucket).WithObject(key).WithStreamData(stream).WithObjectSize(data.Length), ct);
        });

        Console.WriteLine($"making {count} hostile inputs (seed {seed}) ...");
        var corpus = new HostileCorpus(await SeedMedia.CreateAsync(Path.Combine(root, "samples"), limits), limits, seed);
        var cases = corpus.Take(count).ToList();
        var verdicts = new ConcurrentQueue<Verdict>();
        var mustRefuse = cases.Where(c => c.Expect == Expectation.Refuse).ToList();
        Console.WriteLine($"judging {mustRefuse.Count} that must be refused, {parallel} at a time ...");
        var before = await judge.FarmOwnedAsync(CancellationToken.None);
        await Parallel.ForEachAsync(mustRefuse, new ParallelOptions { MaxDegreeOfParallelism = parallel },
            async (c, ct) => verdicts.Enqueue(await judge.JudgeAsync(c, compareStored: false, ct)));
        var leftovers = (await judge.FarmOwnedAsync(CancellationToken.None)).Except(before).ToList();
        if (orchestrator.HasExited)
            (crashes, orchestrator) = (crashes + 1, await OrchestratorProcess.StartAsync(config, grpcPort));
        Console.WriteLine($"judging the other {cases.Count - mustRefuse.Count} one at a time ...");
        foreach (var c in cases.Except(mustRefuse))
        {
            verdicts.Enqueue(await judge.JudgeAsync(c, compareStored: true, CancellationToken.None));
            if (!orchestrator.HasExited)
                continue;
            Console.WriteLine($"CRASH on {c}:\n{orchestrator.Process.OutputTail(20)}");
            (crashes, orchestrator) = (crashes + 1, await OrchestratorProcess.StartAsync(config, grpcPort));
        }
        await orchestrator.DisposeAsync();
        Report([.. verdicts], leftovers, crashes);
    }

    private static void Report(List<Verdict> verdicts, List<string> leftovers, int crashes)
    {
        static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture);
        Console.WriteLine($"\n{verdicts.Count} inputs; by kind (refused / accepted):");
        foreach (var kind in verdicts.GroupBy(v => v.Case.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
            Console.WriteLine($"  {kind.Key,-45} {kind.Count(),5} {kind.Count(v => !v.Accepted),5} / {kind.Count(v => v.Accepted),-5} max {Ms(kind.Max(v => v.Elapsed)),6} ms");
        Console.WriteLine("refused by status:");
        foreach (var status in verdicts.Where(v => !v.Accepted).GroupBy(v => v.Status))
            Console.WriteLine($"  {status.Key,-20} {status.Count(),5}");
        Console.WriteLine($"accepted: {verdicts.Count(v => v.Accepted)} (must-refuse inputs accepted: {verdicts.Count(v => v.Accepted && v.Case.Expect == Expectation.Refuse)})");
        Console.WriteLine($"via stream: {verdicts.Count(v => !v.Case.ViaBucket)}, via bucket key: {verdicts.Count(v => v.Case.ViaBucket)}");
        Console.WriteLine($"crashes: {crashes}");
        var times = new Percentiles(verdicts.Select(v => v.Elapsed.TotalMilliseconds));
        Console.WriteLine($"judge time, ms: {Percentiles.Header}\n                {times.Row()}");
        Console.WriteLine($"slowest: {verdicts.MaxBy(v => v.Elapsed)}");
        Console.WriteLine($"stored by refused inputs judged side by side: {(leftovers.Count == 0 ? "nothing" : string.Join(", ", leftovers.Take(10)))}");
        var broken = verdicts.Where(v => v.Problem is not null).ToList();
        Console.WriteLine($"contract broken: {broken.Count}");
        foreach (var v in broken.Take(50))
            Console.WriteLine("  " + v);
    }
}
