using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using EmoFarm.Api.V1;
using EmoFarm.Testing;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace EmoFarm.Benchmarks;

/// <summary>
/// Many worker kills spread over long renders: the orchestrator and worker processes (the workers run this
/// benchmark's instant renderer, <c>instant-worker</c>) on real RabbitMQ, Redis and Swift. A reference render runs
/// without faults; then renders of the same inputs run while a worker is killed with SIGKILL again and again, and
/// each must decode to exactly the reference's frames (the determinism oracle).
/// </summary>
internal static class SoakBenchmark
{
    public static async Task RunAsync(BenchArgs args)
    {
        var kills = args.Int("kills", 100, 1);
        var renders = args.Int("renders", 2, 1);
        var seconds = args.Int("seconds", 120, 1);
        var workers = args.Int("workers", 2, 1);
        var clipMs = args.Int("clip-ms", 100, 0);
        args.RejectUnknown();

        Console.WriteLine("starting RabbitMQ, Redis and Swift S3 ...");
        await using var servers = await FarmServers.StartAsync();
        var config = servers.Configuration("soak");
        // Each kill is an attempt of whatever segment it lands in; the bound is not what is measured here.
        config["Orchestrator:MaxSegmentAttempts"] = "100";
        config["Orchestrator:MaxSeamAttempts"] = "100";
        await using var orchestrator = await OrchestratorProcess.StartAsync(config);
        using var channel = GrpcChannel.ForAddress(orchestrator.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 64 << 20 });
        var client = new RenderService.RenderServiceClient(channel);
        var pool = new List<ChildProcess>();
        var started = 0;
        async Task<ChildProcess> StartWorkerAsync()
        {
            var worker = await InstantWorker.StartAsync(config, $"soak-{started++}", clipMs);
            pool.Add(worker);
            return worker;
        }
        try
        {
            var audio = await SpeechAsync(seconds);
            var portrait = await File.ReadAllBytesAsync(Path.Combine(OrchestratorProcess.SamplesFolder(), "portrait.png"));
            for (var i = 0; i < workers; i++)
                await StartWorkerAsync();

            Console.WriteLine($"reference: {seconds} s of audio, no faults ...");
            var reference = await SubmitAsync(client, portrait, audio);
            await WaitAsync(client, reference);
            var expected = await FramesAsync(client, reference);

            Console.WriteLine($"{renders} renders with {kills} worker kills ...");
            var clock = Stopwatch.StartNew();
            var ids = new List<string>();
            for (var r = 0; r < renders; r++)
                ids.Add(await SubmitAsync(client, portrait, audio));
            var random = new Random(7);
            var killed = 0;
            var totalFrames = (await Task.WhenAll(ids.Select(id => client.GetRenderAsync(new GetRenderRequest { Id = id }).ResponseAsync))).Sum(r => (double)r.Progress.FramesTotal);
            while (killed < kills)
            {
                // Spread the kills over the work: one each time another share of the frames is stored.
                var done = (await Task.WhenAll(ids.Select(id => client.GetRenderAsync(new GetRenderRequest { Id = id }).ResponseAsync))).ToList();
                if (done.All(r => r.State is RenderState.Succeeded or RenderState.Failed))
                    break;
                if (done.Sum(r => (double)r.Progress.FramesDone) >= totalFrames * killed / kills)
                {
                    var victim = pool[random.Next(pool.Count)];
                    victim.Kill(UnixSignal.Kill);
                    await victim.WaitForExitAsync(TimeSpan.FromSeconds(30));
                    pool.Remove(victim);
                    await victim.DisposeAsync();
                    killed++;
                    await StartWorkerAsync();
                }
                else
                {
                    // A benchmark, not a test: polling paces the kills.
                    await Task.Delay(200);
                }
            }
            var states = new List<RenderState>();
            var compared = 0;
            var mismatches = 0;
            foreach (var id in ids)
            {
                states.Add(await WaitAsync(client, id));
                var frames = await FramesAsync(client, id);
                compared += Math.Max(frames.Count, expected.Count);
                mismatches += Math.Abs(frames.Count - expected.Count) + frames.Zip(expected).Count(p => p.First != p.Second);
            }
            var attempts = 0u;
            foreach (var id in ids)
                attempts += (uint)(await client.GetRenderAsync(new GetRenderRequest { Id = id })).Segments.Sum(s => s.Attempts);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"kills: {killed} SIGKILLs of {workers} instant workers ({clipMs} ms a clip) over {clock.Elapsed.TotalSeconds:F0} s; {started} worker starts; {attempts} segment attempts"));
            Console.WriteLine($"renders: {states.Count(s => s == RenderState.Succeeded)} of {ids.Count} succeeded ({string.Join(", ", states.GroupBy(s => s).Select(g => $"{g.Count()} {g.Key}"))})");
            Console.WriteLine($"frames compared with the uninterrupted render: {compared}, mismatches: {mismatches}");
        }
        finally
        {
            foreach (var worker in pool)
                await worker.DisposeAsync();
        }
    }

    private static async Task<string> SubmitAsync(RenderService.RenderServiceClient client, byte[] portrait, byte[] audio)
    {
        using var call = client.CreateRenderStream();
        await call.RequestStream.WriteAsync(new CreateRenderChunk
        {
            Request = new CreateRenderRequest
            {
                Parameters = new RenderParameters { Fps = 25, Width = 64, Height = 64, SamplingSteps = 1, SegmentFrames = 100, OverlapFrames = 4, Seed = 3 },
            },
        });
        foreach (var chunk in portrait.Chunk(256 << 10))
            await call.RequestStream.WriteAsync(new CreateRenderChunk { Image = ByteString.CopyFrom(chunk) });
        foreach (var chunk in audio.Chunk(256 << 10))
            await call.RequestStream.WriteAsync(new CreateRenderChunk { Audio = ByteString.CopyFrom(chunk) });
        await call.RequestStream.CompleteAsync();
        return (await call.ResponseAsync).Id;
    }

    private static async Task<RenderState> WaitAsync(RenderService.RenderServiceClient client, string id)
    {
        using var call = client.WatchRender(new WatchRenderRequest { Id = id });
        var state = RenderState.Unspecified;
        await foreach (var e in call.ResponseStream.ReadAllAsync())
        {
            if (e.EventCase == RenderEvent.EventOneofCase.Snapshot)
                state = e.Snapshot.State;
        }

        return state;
    }

    private static async Task<List<string>> FramesAsync(RenderService.RenderServiceClient client, string id)
    {
        using var folder = new TempFolder("soak");
        var video = folder.File("render.mp4");
        await using (var file = File.Create(video))
        {
            using var call = client.DownloadResult(new GetResultRequest { Id = id });
            await foreach (var chunk in call.ResponseStream.ReadAllAsync())
                await file.WriteAsync(chunk.Data.Memory);
        }
        var raw = folder.File("frames.rgb");
        var decode = await ChildProcess.RunAsync(new ChildProcessOptions { FileName = "ffmpeg", Arguments = ["-v", "error", "-i", video, "-f", "rawvideo", "-pix_fmt", "rgb24", raw] },
            TimeSpan.FromMinutes(5));
        if (!decode.Succeeded)
            throw new InvalidOperationException($"ffmpeg could not decode render {id}: {decode.Output}");
        return [.. (await File.ReadAllBytesAsync(raw)).Chunk(64 * 64 * 3).Select(f => Convert.ToHexStringLower(SHA256.HashData(f)))];
    }

    private static async Task<byte[]> SpeechAsync(int seconds)
    {
        using var folder = new TempFolder("soak");
        var output = folder.File("speech.wav");
        var result = await ChildProcess.RunAsync(new ChildProcessOptions
        {
            FileName = "ffmpeg",
            Arguments = ["-v", "error", "-stream_loop", "-1", "-i", Path.Combine(OrchestratorProcess.SamplesFolder(), "speech.wav"), "-t",
                seconds.ToString(CultureInfo.InvariantCulture), "-ac", "1", output],
        }, TimeSpan.FromMinutes(1));
        if (!result.Succeeded)
            throw new InvalidOperationException($"ffmpeg failed: {result.Output}");
        return await File.ReadAllBytesAsync(output);
    }
}
