using System.Diagnostics;
using System.Globalization;
using EmoFarm.Api.V1;
using EmoFarm.Farm.Frames;
using EmoFarm.Farm.Orchestration;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Testing;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;

namespace EmoFarm.Benchmarks;

/// <summary>
/// Issue 17's tail: how long a render waits for its MP4 once the last segment is done, with chunks encoded as
/// segments finish and a stream-copy assembly, against the single-pass encode it replaced run on the same stored
/// frames. One render per length, each on fresh RabbitMQ, Redis and Swift and a fresh orchestrator process (so that
/// its VmHWM and CPU time are this render's), with in-process workers running <see cref="MovingPortraitRenderer"/>.
/// </summary>
internal static class TailBenchmark
{
    private const int Fps = 25;

    public static async Task RunAsync(BenchArgs args)
    {
        var minutes = args.Ints("minutes", [1, 10], 1);
        var workers = args.Int("workers", 2, 1);
        var size = args.Int("size", 512, 64);
        var segmentFrames = args.Int("segment-frames", 100, 8);
        var overlap = args.Int("overlap", 6);
        // A stand-in for the GPU's pace: with none, 2 cores render frames faster than they encode them, and the tail
        // measures a backlog of chunk encodes that a farm whose segments take minutes never builds up.
        var clip = TimeSpan.FromMilliseconds(args.Int("clip-ms", 1000));
        args.RejectUnknown();

        var rows = new List<TailRow>();
        foreach (var m in minutes)
        {
            Console.WriteLine($"{m} min of audio at {size}x{size}, {Fps} fps, segments of {segmentFrames} overlapping by {overlap}, {workers} workers, {clip.TotalMilliseconds:F0} ms a 16-frame clip; load {Load()}");
            rows.Add(await RunOneAsync(m, workers, size, segmentFrames, overlap, clip));
            Console.WriteLine($"  done in {rows[^1].WallSeconds:F0} s; load {Load()}");
            // After each length, so that a long run's first figures survive a failure in a later one.
            TailRow.Print(rows);
        }
    }

    private static async Task<TailRow> RunOneAsync(int minutes, int workers, int size, int segmentFrames, int overlap, TimeSpan clip)
    {
        var wall = Stopwatch.StartNew();
        var ct = CancellationToken.None;
        using var folder = new TempFolder("tail");
        var audioPath = await SpeechAsync(folder.File("speech.wav"), minutes * 60);
        var portrait = await File.ReadAllBytesAsync(Path.Combine(OrchestratorProcess.SamplesFolder(), "portrait.png"));
        var freeBefore = FreeBytes();

        // Fresh servers per length: the frames of one (13 GB at 60 minutes) are gone before the next starts.
        await using var servers = await FarmServers.StartAsync();
        var config = servers.Configuration("tail");
        config["Orchestrator:MaxAudioSeconds"] = "86400";
        // An hour's inspection decodes 115 MB of WAV; on a loaded machine that can pass the 60 s default.
        config["Orchestrator:InspectTimeoutSeconds"] = "600";
        await using var orchestrator = await OrchestratorProcess.StartAsync(config);
        var timings = new TailTimings();
        var hosts = new List<IHost>();
        Render render;
        try
        {
            for (var i = 0; i < workers; i++)
            {
                hosts.Add(await FarmHost.StartWorkerAsync(new Dictionary<string, string?>(config) { ["Worker:Name"] = $"tail-{i}" },
                    new MovingPortraitRenderer(16, clip), timings));
            }
            using var channel = GrpcChannel.ForAddress(orchestrator.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 256 << 20 });
            var client = new RenderService.RenderServiceClient(channel);
            var createStarted = DateTime.UtcNow;
            var id = await SubmitAsync(client, portrait, audioPath, new RenderParameters
            {
                Fps = Fps,
                Width = (uint)size,
                Height = (uint)size,
                SamplingSteps = 1,
                SegmentFrames = (uint)segmentFrames,
                OverlapFrames = (uint)overlap,
                SeamStrategy = SeamStrategy.Crossfade,
                SeparateVocals = false,
                Seed = 3,
            });
            var createReturned = DateTime.UtcNow;
            await WaitAsync(client, id);
            render = await client.GetRenderAsync(new GetRenderRequest { Id = id });
            if (render.State != Api.V1.RenderState.Succeeded)
                throw new InvalidOperationException($"render {id} ended {render.State}: {render.Error}");
            var peak = orchestrator.PeakMemoryMiB();
            var (cpu, childCpu) = CpuSeconds(orchestrator.Process.Id);
            // The workers go before the single pass, so that its CPU time is its own.
            foreach (var host in Enumerable.Reverse(hosts))
            {
                await host.StopAsync(ct);
                host.Dispose();
            }
            hosts.Clear();

            var blobs = new S3BlobStore(S3BlobStore.CreateClient(new Farm.Storage.S3Options
            {
                Endpoint = servers.S3.Endpoint,
                AccessKey = servers.S3.AccessKey,
                SecretKey = servers.S3.SecretKey,
                Region = servers.S3.Region,
                Bucket = "tail",
            }), "tail");
            var segments = render.Segments.OrderBy(s => s.Index)
                .Select(s => new SegmentRecord((int)s.Index, (int)s.FirstFrame, (int)s.FrameCount, SegmentState.Done, 0, 0, 0, null, null, (int)s.Take)).ToList();
            var keys = FrameSources.Keys(render.Tenant, id, segments, reconciled: true);
            var (ownBefore, childBefore) = CpuSeconds(Environment.ProcessId);
            var single = Stopwatch.StartNew();
            var singleBytes = await SinglePassEncode.RunAsync(blobs, keys, BlobKeys.OriginalAudio(render.Tenant, id), render.AudioSeconds,
                size, size, Fps, $"{BlobKeys.Render(render.Tenant, id)}/bench/single-pass.mp4", ct);
            var singleSeconds = single.Elapsed.TotalSeconds;
            var (ownAfter, childAfter) = CpuSeconds(Environment.ProcessId);

            var sample = Enumerable.Range(0, 64).Select(i => keys[(int)((long)i * (keys.Count - 1) / 63)]).ToList();
            var sizes = await Task.WhenAll(sample.Select(k => blobs.StatAsync(k, ct)));
            var output = await blobs.StatAsync(BlobKeys.Output(render.Tenant, id), ct)
                ?? throw new InvalidOperationException($"render {id} succeeded without {BlobKeys.Output(render.Tenant, id)}");
            var chunks = timings.Chunks.Values.ToList();
            if (timings.Segments.Count != segments.Count || chunks.Count != segments.Count)
                throw new InvalidOperationException($"saw {timings.Segments.Count} segments and {chunks.Count} chunks done of {segments.Count}");

            var lastSegment = timings.Segments.Values.Max();
            var last = chunks.MaxBy(c => c.Requested);
            var lastRequested = last.Requested;
            var mp4Stored = render.UpdatedAt.ToDateTime();
            var seamLag = (lastRequested - lastSegment).TotalSeconds;
            return new TailRow
            {
                Minutes = minutes,
                Frames = keys.Count,
                Chunks = chunks.Count,
                CreateSeconds = (createReturned - createStarted).TotalSeconds,
                FirstChunkSeconds = (chunks.Min(c => c.Stored) - createStarted).TotalSeconds,
                RenderSeconds = (lastSegment - createStarted).TotalSeconds,
                SeamLagSeconds = seamLag,
                Backlog = chunks.Count(c => c.Stored > lastSegment),
                LastEncodeSeconds = (last.Stored - last.Requested).TotalSeconds,
                AssemblySeconds = (mp4Stored - chunks.Max(c => c.Stored)).TotalSeconds,
                TailAfterSeconds = (mp4Stored - lastSegment).TotalSeconds,
                SinglePassSeconds = singleSeconds,
                TailBeforeSeconds = seamLag + singleSeconds,
                SinglePassCpuSeconds = ownAfter + childAfter - ownBefore - childBefore,
                PeakMiB = peak,
                CpuSeconds = cpu,
                ChildCpuSeconds = childCpu,
                FrameBytes = (long)(sizes.Average(s => s?.Size ?? 0) * keys.Count),
                Mp4Bytes = output.Size,
                SinglePassBytes = singleBytes,
                DiskUsedBytes = freeBefore - FreeBytes(),
                Faults = timings.Faults,
                WallSeconds = wall.Elapsed.TotalSeconds,
            };
        }
        finally
        {
            foreach (var host in Enumerable.Reverse(hosts))
            {
                await host.StopAsync(ct);
                host.Dispose();
            }
        }
    }

    private static async Task<string> SubmitAsync(RenderService.RenderServiceClient client, byte[] portrait, string audioPath, RenderParameters parameters)
    {
        using var call = client.CreateRenderStream();
        await call.RequestStream.WriteAsync(new CreateRenderChunk { Request = new CreateRenderRequest { Parameters = parameters } });
        await call.RequestStream.WriteAsync(new CreateRenderChunk { Image = ByteString.CopyFrom(portrait) });
        await using (var audio = File.OpenRead(audioPath))
        {
            var buffer = new byte[256 << 10];
            int read;
            while ((read = await audio.ReadAsync(buffer)) > 0)
                await call.RequestStream.WriteAsync(new CreateRenderChunk { Audio = ByteString.CopyFrom(buffer, 0, read) });
        }
        await call.RequestStream.CompleteAsync();
        return (await call.ResponseAsync).Id;
    }

    /// <summary>Until the render ends, printing each tenth of its frames as they are stored.</summary>
    private static async Task WaitAsync(RenderService.RenderServiceClient client, string id)
    {
        using var call = client.WatchRender(new WatchRenderRequest { Id = id });
        var clock = Stopwatch.StartNew();
        var tenth = 0;
        await foreach (var e in call.ResponseStream.ReadAllAsync())
        {
            var progress = e.EventCase == RenderEvent.EventOneofCase.Snapshot ? e.Snapshot.Progress : e.Progress;
            if (progress is { FramesTotal: > 0 } && progress.FramesDone * 10 / progress.FramesTotal > (ulong)tenth)
            {
                tenth = (int)(progress.FramesDone * 10 / progress.FramesTotal);
                Console.WriteLine($"  {tenth * 10}% of {progress.FramesTotal} frames at {clock.Elapsed.TotalSeconds:F0} s; load {Load()}");
            }
        }
    }

    /// <summary>The sample speech looped to <paramref name="seconds"/>, as 16 kHz mono WAV (115 MB an hour).</summary>
    private static async Task<string> SpeechAsync(string output, int seconds)
    {
        var result = await ChildProcess.RunAsync(new ChildProcessOptions
        {
            FileName = "ffmpeg",
            Arguments = ["-v", "error", "-stream_loop", "-1", "-i", Path.Combine(OrchestratorProcess.SamplesFolder(), "speech.wav"), "-t",
                seconds.ToString(CultureInfo.InvariantCulture), "-ac", "1", "-ar", "16000", output],
        }, TimeSpan.FromMinutes(5));
        return result.Succeeded ? output : throw new InvalidOperationException($"ffmpeg failed: {result.Output}");
    }

    /// <summary>User + system seconds of a process, and of its children it has waited for (ffmpeg).</summary>
    private static (double Own, double Children) CpuSeconds(int pid)
    {
        // After the command name, which may hold spaces: fields 14 to 17 of proc(5) are utime, stime, cutime, cstime.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double Ticks(int field) => long.Parse(fields[field - 3], CultureInfo.InvariantCulture) / 100.0;
        return (Ticks(14) + Ticks(15), Ticks(16) + Ticks(17));
    }

    private static long FreeBytes() => new DriveInfo(Path.GetTempPath()).AvailableFreeSpace;

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
