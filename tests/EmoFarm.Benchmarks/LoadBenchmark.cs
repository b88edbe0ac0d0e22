using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using EmoFarm.Api.V1;
using EmoFarm.Testing;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;

namespace EmoFarm.Benchmarks;

/// <summary>
/// Many clients creating renders at once through the public gRPC API of one orchestrator process, on real RabbitMQ,
/// Redis and Swift, with instant-renderer workers: what the control plane takes, and that every render created
/// finishes once. Figures: create latency, renders per second, the orchestrator's peak memory.
/// </summary>
internal static class LoadBenchmark
{
    public static async Task RunAsync(BenchArgs args)
    {
        var renders = args.Int("renders", 1000, 1);
        var clients = args.Int("clients", 50, 1);
        var workers = args.Int("workers", 4, 1);
        var waitLimit = TimeSpan.FromMinutes(args.Int("wait-minutes", 90, 1));
        args.RejectUnknown();

        Console.WriteLine("starting RabbitMQ, Redis and Swift S3 ...");
        await using var servers = await FarmServers.StartAsync();
        var config = servers.Configuration("load");
        await using var orchestrator = await OrchestratorProcess.StartAsync(config);
        var hosts = new List<IHost>();
        try
        {
            for (var i = 0; i < workers; i++)
            {
                hosts.Add(await FarmHost.StartWorkerAsync(new Dictionary<string, string?>(config) { ["Worker:Name"] = $"worker-{i}" },
                    new InstantClipRenderer(8, 64), new SegmentTimings(int.MaxValue)));
            }

            var (portrait, audio) = await InputsAsync();

            Console.WriteLine($"{clients} clients creating {renders} renders ...");
            var latencies = new ConcurrentBag<double>();
            var ids = new ConcurrentBag<string>();
            var refused = new ConcurrentBag<string>();
            var next = -1;
            using var channel = GrpcChannel.ForAddress(orchestrator.Address);
            var client = new RenderService.RenderServiceClient(channel);
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) < renders)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var call = client.CreateRenderStream();
                    await call.RequestStream.WriteAsync(new CreateRenderChunk { Request = new CreateRenderRequest { Parameters = Parameters() } });
                    await call.RequestStream.WriteAsync(new CreateRenderChunk { Image = ByteString.CopyFrom(portrait) });
                    await call.RequestStream.WriteAsync(new CreateRenderChunk { Audio = ByteString.CopyFrom(audio) });
                    await call.RequestStream.CompleteAsync();
                    try
                    {
                        ids.Add((await call.ResponseAsync).Id);
                    }
                    catch (RpcException e)
                    {
                        // Every input is valid, so a refusal is a finding: it is counted and shown, not hidden.
                        refused.Add($"{e.StatusCode}: {e.Status.Detail}");
                    }
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            })));
            var created = clock.Elapsed;

            var states = await WaitForAllAsync(client, [.. ids], waitLimit);
            var finished = clock.Elapsed;
            Console.WriteLine();
            Console.WriteLine($"created: {ids.Count} renders by {clients} clients in {created.TotalSeconds:F1} s ({ids.Count / created.TotalSeconds:F1} creates/s); distinct ids {ids.Distinct().Count()}");
            Console.WriteLine($"refused (every input was valid): {refused.Count}");
            foreach (var reason in refused.GroupBy(r => r))
                Console.WriteLine($"  {reason.Count()} x {reason.Key}");
            Console.WriteLine($"create latency ms        {Percentiles.Header}");
            Console.WriteLine($"CreateRenderStream       {new Percentiles(latencies).Row()}");
            Console.WriteLine($"finished: {string.Join(", ", states.GroupBy(s => s.Value).Select(g => $"{g.Count()} {g.Key}"))} in {finished.TotalSeconds:F1} s ({ids.Count / finished.TotalSeconds:F1} renders/s end to end, {workers} instant workers)");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"orchestrator peak memory (VmHWM): {orchestrator.PeakMemoryMiB():F0} MiB"));
        }
        finally
        {
            foreach (var host in Enumerable.Reverse(hosts))
            {
                await host.StopAsync();
                host.Dispose();
            }
        }
    }

    private static RenderParameters Parameters() => new()
    {
        Fps = 25,
        Width = 64,
        Height = 64,
        SamplingSteps = 1,
        SegmentFrames = 16,
        OverlapFrames = 4,
        SeamStrategy = SeamStrategy.Crossfade,
    };

    /// <summary>A 64x64 crop of the sample portrait and 1 s of the sample speech.</summary>
    private static async Task<(byte[] Portrait, byte[] Audio)> InputsAsync()
    {
        using var folder = new TempFolder("load");
        var portrait = folder.File("portrait.png");
        var audio = folder.File("speech.wav");
        foreach (var (input, output, extra) in new[]
        {
            (Path.Combine(OrchestratorProcess.SamplesFolder(), "portrait.png"), portrait, new[] { "-vf", "scale=64:64" }),
            (Path.Combine(OrchestratorProcess.SamplesFolder(), "speech.wav"), audio, new[] { "-t", "1" }),
        })
        {
            var result = await ChildProcess.RunAsync(new ChildProcessOptions { FileName = "ffmpeg", Arguments = ["-v", "error", "-y", "-i", input, .. extra, output] },
                TimeSpan.FromMinutes(1));
            if (!result.Succeeded)
                throw new InvalidOperationException($"ffmpeg failed: {result.Output}");
        }
        return (await File.ReadAllBytesAsync(portrait), await File.ReadAllBytesAsync(audio));
    }

    private static async Task<Dictionary<string, RenderState>> WaitForAllAsync(RenderService.RenderServiceClient client, IReadOnlyList<string> ids, TimeSpan limit)
    {
        var states = new Dictionary<string, RenderState>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            foreach (var id in ids.Where(id => !states.TryGetValue(id, out var s) || s is not (RenderState.Succeeded or RenderState.Failed or RenderState.Cancelled)))
                states[id] = (await client.GetRenderAsync(new GetRenderRequest { Id = id })).State;
            if (states.Count == ids.Count && states.Values.All(s => s is RenderState.Succeeded or RenderState.Failed or RenderState.Cancelled))
                break;
            // A benchmark, not a test: polling is the simplest way to wait for a thousand renders.
            await Task.Delay(500);
        }
        return states;
    }
}
