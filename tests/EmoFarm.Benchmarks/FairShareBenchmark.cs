using System.Globalization;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EmoFarm.Benchmarks;

/// <summary>
/// The scheduler at 1, 2, 4 and 8 workers with a fixed service time, with the window and without it (publish-all):
/// tenant A's long render starts alone, tenant B's short one arrives once a quarter of A has started. Each run has
/// its own virtual host, Redis prefix and bucket, an orchestrator host and worker hosts in this process.
/// </summary>
internal static class FairShareBenchmark
{
    public static async Task RunAsync(BenchArgs args)
    {
        var serviceMs = args.Int("service-ms", 200, 1);
        var perWorker = args.Int("segments-per-worker", 40, 4);
        var counts = args.Ints("workers", [1, 2, 4, 8], 1);
        args.RejectUnknown();

        Console.WriteLine("starting RabbitMQ, Redis and Swift S3 ...");
        await using var servers = await FarmServers.StartAsync();
        var results = new List<FairShareRun>();
        var run = 0;
        Console.WriteLine("mode         workers  seg/s  scaling  dispatch p50  p99 (ms)  B first wait (ms)  B done (s)  A done (s)  starved hand-offs");
        foreach (var window in new[] { true, false })
        {
            foreach (var workers in counts)
            {
                var result = await RunOnceAsync(servers, $"fs{run++}", window, workers, perWorker, serviceMs);
                Console.WriteLine(result.Line(results.FirstOrDefault(r => r.Window == window && r.Workers == counts[0])));
                results.Add(result);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"service time {serviceMs} ms per segment (one 1-frame clip); A: {perWorker} segments per worker; B: 3 segments after a quarter of A");
        Console.WriteLine("mode         workers  seg/s  scaling  dispatch p50  p99 (ms)  B first wait (ms)  B done (s)  A done (s)  starved hand-offs");
        foreach (var r in results)
            Console.WriteLine(r.Line(results.First(b => b.Window == r.Window && b.Workers == counts[0])));
    }

    private static async Task<FairShareRun> RunOnceAsync(FarmServers servers, string name, bool window, int workers, int perWorker, int serviceMs)
    {
        await servers.Rabbit.CtlAsync(["add_vhost", name]);
        await servers.Rabbit.CtlAsync(["set_permissions", "-p", name, servers.Rabbit.Username, ".*", ".*", ".*"]);
        var config = servers.Configuration(name);
        config["Rabbit:VirtualHost"] = name;
        config["Redis:Prefix"] = $"{name}:";
        config["Scheduling:Window"] = window ? "true" : "false";
        config["Scheduling:QueueDepth"] = (2 * workers).ToString(CultureInfo.InvariantCulture);
        var timings = new FairShareTimings();
        var hosts = new List<IHost>();
        try
        {
            var orchestrator = await FarmHost.StartOrchestratorAsync(config);
            hosts.Add(orchestrator);
            for (var i = 0; i < workers; i++)
            {
                var worker = $"worker-{i}";
                hosts.Add(await FarmHost.StartWorkerAsync(new Dictionary<string, string?>(config) { ["Worker:Name"] = worker },
                    new InstantClipRenderer(1, 8, TimeSpan.FromMilliseconds(serviceMs)), timings.For(worker)));
            }
            var store = orchestrator.Services.GetRequiredService<IRenderStore>();
            var blobs = orchestrator.Services.GetRequiredService<IBlobStore>();
            var dispatcher = orchestrator.Services.GetRequiredService<SegmentDispatcher>();
            var a = await SyntheticRender.CreateAsync(store, blobs, perWorker * workers, 1, 0, 8, CancellationToken.None, tenant: "a");
            var b = await SyntheticRender.CreateAsync(store, blobs, 3, 1, 0, 8, CancellationToken.None, tenant: "b");

            var start = DateTime.UtcNow;
            await dispatcher.DispatchAsync(a.Render, a.Segments, CancellationToken.None);
            // Polling a counter: a benchmark, and the simplest way to act at a point of another host's progress.
            while (timings.Count < a.Segments.Count / 4)
                await Task.Delay(5);
            var bDispatched = DateTime.UtcNow;
            await dispatcher.DispatchAsync(b.Render, b.Segments, CancellationToken.None);
            var total = a.Segments.Count + b.Segments.Count;
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
            while (timings.All.Select(e => (e.RenderId, e.Segment)).Distinct().Count() < total && DateTime.UtcNow < deadline)
                await Task.Delay(20);
            return FairShareRun.From(window, workers, serviceMs, timings.All, a.Render.Id, b.Render.Id, start, bDispatched, total);
        }
        finally
        {
            foreach (var host in Enumerable.Reverse(hosts))
            {
                await host.StopAsync();
                host.Dispose();
            }
            await servers.Rabbit.CtlAsync(["delete_vhost", name]);
        }
    }
}
