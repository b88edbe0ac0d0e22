using System.Diagnostics;
using System.Globalization;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EmoFarm.Benchmarks;

/// <summary>
/// The farm minus the model: one orchestrator host and N worker hosts, each with its own bus on a real RabbitMQ,
/// sharing a real Redis and Swift S3, push a burst of segments through the real consumers with an instant renderer.
/// </summary>
internal static class ControlPlaneBenchmark
{
    public static async Task RunAsync(BenchArgs args)
    {
        var segments = args.Int("segments", 1000, 1);
        var workers = args.Int("workers", 4, 1);
        var renders = Math.Min(segments, args.Int("renders", 10, 1));
        var segmentFrames = args.Int("segment-frames", 16, 1);
        var clipFrames = args.Int("clip-frames", 16, 1);
        var overlap = args.Int("overlap", 0);
        var frameSize = args.Int("frame-size", 8, 2);
        var gpus = args.Int("gpus", 1, 1);
        args.RejectUnknown();

        Console.WriteLine("starting RabbitMQ, Redis and Swift S3 ...");
        await using var servers = await FarmServers.StartAsync();
        var config = servers.Configuration("bench");
        var timings = new SegmentTimings(segments);
        var renderer = new InstantClipRenderer(clipFrames, frameSize);
        var hosts = new List<IHost>();
        try
        {
            var orchestrator = await FarmHost.StartOrchestratorAsync(config);
            hosts.Add(orchestrator);
            for (var i = 0; i < workers; i++)
            {
                var workerConfig = new Dictionary<string, string?>(config)
                {
                    ["Worker:Name"] = $"worker-{i}",
                    ["Worker:Gpus"] = gpus.ToString(CultureInfo.InvariantCulture),
                };
                hosts.Add(await FarmHost.StartWorkerAsync(workerConfig, renderer, timings));
            }

            var store = orchestrator.Services.GetRequiredService<IRenderStore>();
            var blobs = orchestrator.Services.GetRequiredService<IBlobStore>();
            var dispatcher = orchestrator.Services.GetRequiredService<SegmentDispatcher>();
            Console.WriteLine($"storing {renders} renders' inputs ...");
            var created = new List<(RenderRecord Render, IReadOnlyList<SegmentPlan> Segments)>();
            for (var r = 0; r < renders; r++)
            {
                created.Add(await SyntheticRender.CreateAsync(store, blobs, segments / renders + (r < segments % renders ? 1 : 0),
                    segmentFrames, overlap, frameSize, CancellationToken.None));
            }

            Console.WriteLine($"dispatching {segments} segments ...");
            var start = DateTime.UtcNow;
            var clock = Stopwatch.StartNew();
            foreach (var (render, plans) in created)
                await dispatcher.DispatchAsync(render, plans, CancellationToken.None);
            var dispatched = clock.Elapsed;
            await timings.AllDone.WaitAsync(TimeSpan.FromMinutes(30));
            var samples = timings.Samples.ToList();
            var span = samples.Max(s => s.Finished) - start;

            var frameBytes = PngCodec.Encode(RgbImage.Blank(frameSize, frameSize)).Length;
            Console.WriteLine();
            Console.WriteLine($"workers: {workers} hosts x {gpus} segment(s) in flight (prefetch {gpus}); {renders} renders");
            Console.WriteLine($"segment: {segmentFrames} frames, clips of {clipFrames}, overlap {overlap}; frame {frameSize}x{frameSize} RGB "
                + $"({frameSize * frameSize * 3} B raw, PNG {frameBytes}+ B); audio slice ~{AudioSliceBytes(segmentFrames)} B");
            Console.WriteLine($"dispatch: {segments} publishes in {dispatched.TotalSeconds:F2} s ({segments / dispatched.TotalSeconds:F0}/s)");
            Console.WriteLine($"throughput: {segments / span.TotalSeconds:F1} segments/s ({segments} in {span.TotalSeconds:F2} s, first publish to last consume)");
            Console.WriteLine($"deliveries: {samples.Count}, consume faults: {timings.Faults}");
            Console.WriteLine($"latency ms               {Percentiles.Header}");
            Console.WriteLine($"publish -> ack           {new Percentiles(samples.Select(s => s.Total.TotalMilliseconds)).Row()}");
            Console.WriteLine($"  publish -> consume     {new Percentiles(samples.Select(s => s.QueueWait.TotalMilliseconds)).Row()}");
            Console.WriteLine($"  consume -> consumed    {new Percentiles(samples.Select(s => s.Service.TotalMilliseconds)).Row()}");
            await ReportRendersAsync(store, created.Select(c => c.Render.Id).ToList(), span);
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

    private static int AudioSliceBytes(int segmentFrames) =>
        (int)((segmentFrames / (double)SyntheticRender.Fps + 2 * new OrchestratorOptions().AudioContextSeconds) * AudioDecoder.SampleRate) * sizeof(float);

    /// <summary>Not part of the figures: proves the segments went through the whole farm (seams, the final encode).</summary>
    private static async Task ReportRendersAsync(IRenderStore store, IReadOnlyList<string> ids, TimeSpan afterStart)
    {
        var clock = Stopwatch.StartNew();
        var states = new Dictionary<string, RenderState>();
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            foreach (var id in ids)
                states[id] = (await store.GetAsync(id, CancellationToken.None))!.State;
            if (states.Values.All(RenderStateMachine.IsTerminal))
                break;
            // A benchmark, not a test: polling is the simplest way to wait for a state several consumers move.
            await Task.Delay(250);
        }
        var summary = string.Join(", ", states.Values.GroupBy(s => s).Select(g => $"{g.Count()} {g.Key}"));
        Console.WriteLine($"renders: {summary} ({(afterStart + clock.Elapsed).TotalSeconds:F1} s after the first publish)");
    }
}
