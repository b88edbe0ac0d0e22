using System.Diagnostics;
using System.Globalization;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Video;
using EmoFarm.Testing;

namespace EmoFarm.Benchmarks;

/// <summary>
/// The part of the tail that grows with length, alone: the assembly of an hour's MP4 from stored chunks, without
/// rendering the hour first (the <c>tail</c> benchmark takes hours at 60 minutes on 2 cores). The chunks are real
/// encodes of moving-portrait frames with the farm's own encoder, each re-stamped (stream copy) to its place on the
/// timeline as a worker's would be; the audio is the sample speech looped, encoded once with the farm's AAC settings.
/// It then times <see cref="StoredVideo.AssembleAsync"/>, the code the orchestrator runs, against a real S3 (Swift).
/// </summary>
internal static class AssemblyBenchmark
{
    private const int Fps = 25;
    private const string Tenant = "bench";

    public static async Task RunAsync(BenchArgs args)
    {
        var minutes = args.Ints("minutes", [1, 10, 60], 1);
        var size = args.Int("size", 512, 64);
        var segmentFrames = args.Int("segment-frames", 100, 8);
        var overlap = args.Int("overlap", 6);
        var repeats = args.Int("repeat", 3, 1);
        var downloads = args.Int("downloads", StoredVideo.Downloads, 1);
        args.RejectUnknown();

        await using var s3 = await SwiftS3Server.StartAsync();
        var blobs = new S3BlobStore(S3BlobStore.CreateClient(new S3Options
        {
            Endpoint = s3.Endpoint,
            AccessKey = s3.AccessKey,
            SecretKey = s3.SecretKey,
            Region = s3.Region,
            Bucket = "assembly",
        }), "assembly");
        await blobs.EnsureReadyAsync(CancellationToken.None);
        using var folder = new TempFolder("assembly");
        var portrait = PngCodec.Decode(await File.ReadAllBytesAsync(Path.Combine(OrchestratorProcess.SamplesFolder(), "portrait.png")));
        if (portrait.Width != size || portrait.Height != size)
            throw new InvalidOperationException($"--size {size}: the sample portrait is {portrait.Width}x{portrait.Height}");

        Console.WriteLine($"assembly of stored chunks at {size}x{size}, {Fps} fps, segments of {segmentFrames} overlapping by {overlap}; "
            + $"{downloads} downloads at once; {repeats} runs each; load {Load()}");
        Console.WriteLine("min  chunks  chunk MB  MP4 MB | assembly s (each run)            median: fetch  join upload | MP4 frames  duration s  audio s");
        foreach (var m in minutes)
        {
            var id = $"m{m}";
            var seconds = m * 60.0;
            var plan = SegmentPlanner.Plan(SegmentPlanner.FrameCount(seconds, Fps), segmentFrames, overlap);
            var spans = plan.Select((s, i) => (i + 1 < plan.Count ? plan[i + 1].FirstFrame : s.FirstFrame + s.FrameCount) - s.FirstFrame).ToList();
            var chunkBytes = await StoreChunksAsync(blobs, folder, portrait, id, plan, spans);
            await StoreAudioAsync(blobs, folder, id, seconds);

            var runs = new List<(double Seconds, AssembledVideo Video)>();
            for (var r = 0; r < repeats; r++)
            {
                var clock = Stopwatch.StartNew();
                var video = await StoredVideo.AssembleAsync(blobs, Tenant, id, spans, Fps, seconds,
                    path => blobs.DownloadToFileAsync(BlobKeys.OutputAudio(Tenant, id), path, CancellationToken.None), CancellationToken.None, downloads);
                runs.Add((clock.Elapsed.TotalSeconds, video));
            }
            var (frames, duration) = await ProbeAsync(blobs, folder, id);
            var (median, output) = runs.OrderBy(r => r.Seconds).ElementAt(runs.Count / 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{m,3}  {plan.Count,6}  {chunkBytes / 1e6,8:F1}  {output.Bytes / 1e6,6:F1} | {string.Join(" ", runs.Select(x => x.Seconds.ToString("F2", CultureInfo.InvariantCulture))),-32} {median,6:F2}: {output.Fetch.TotalSeconds,5:F2} {output.Join.TotalSeconds,5:F2} {output.Upload.TotalSeconds,6:F2} | {frames,10}  {duration,10:F3}  {seconds,7:F0}"));
            if (frames != spans.Sum())
                throw new InvalidOperationException($"{m} min: the MP4 holds {frames} frames, the chunks {spans.Sum()}");
        }
    }

    /// <summary>Encodes one chunk per distinct length once, then stores every chunk as a re-stamped copy of it.</summary>
    private static async Task<long> StoreChunksAsync(IBlobStore blobs, TempFolder folder, RgbImage portrait, string id, IReadOnlyList<SegmentPlan> plan,
        List<int> spans)
    {
        var bases = new Dictionary<int, string>();
        foreach (var frames in spans.Distinct())
        {
            var path = folder.File($"base-{frames}.ts");
            await VideoEncoder.EncodeChunkAsync(Enumerable.Range(0, frames).Select(f => MovingPortraitRenderer.Frame(portrait, f)),
                portrait.Width, portrait.Height, Fps, 0, path, CancellationToken.None);
            bases[frames] = path;
        }
        long total = 0;
        await Parallel.ForAsync(0, plan.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var path = folder.File($"{id}-{i:D5}.ts");
            var offset = ((double)plan[i].FirstFrame / Fps).ToString("0.#########", CultureInfo.InvariantCulture);
            await RunAsync("ffmpeg", ["-v", "error", "-y", "-i", bases[spans[i]], "-c", "copy", "-avoid_negative_ts", "disabled", "-output_ts_offset", offset,
                "-f", "mpegts", path]);
            Interlocked.Add(ref total, new FileInfo(path).Length);
            await blobs.UploadFileAsync(BlobKeys.Chunk(Tenant, id, i), path, "video/mp2t", ct);
            File.Delete(path);
        });
        return total;
    }

    private static async Task StoreAudioAsync(IBlobStore blobs, TempFolder folder, string id, double seconds)
    {
        var wav = folder.File($"{id}.wav");
        var aac = folder.File($"{id}.m4a");
        await RunAsync("ffmpeg", ["-v", "error", "-y", "-stream_loop", "-1", "-i", Path.Combine(OrchestratorProcess.SamplesFolder(), "speech.wav"),
            "-t", seconds.ToString(CultureInfo.InvariantCulture), "-ac", "1", "-ar", "16000", wav]);
        await AudioEncoder.EncodeAacAsync(wav, aac, CancellationToken.None);
        await blobs.UploadFileAsync(BlobKeys.OutputAudio(Tenant, id), aac, "audio/mp4", CancellationToken.None);
        File.Delete(wav);
        File.Delete(aac);
    }

    /// <summary>The stored MP4's video frame count (decoded, not read from the header) and its duration.</summary>
    private static async Task<(int Frames, double Duration)> ProbeAsync(IBlobStore blobs, TempFolder folder, string id)
    {
        var path = folder.File($"{id}.mp4");
        await blobs.DownloadToFileAsync(BlobKeys.Output(Tenant, id), path, CancellationToken.None);
        var frames = await RunAsync("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames",
            "-of", "csv=p=0", path]);
        var duration = await RunAsync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path]);
        File.Delete(path);
        return (int.Parse(frames.Trim(), CultureInfo.InvariantCulture), double.Parse(duration.Trim(), CultureInfo.InvariantCulture));
    }

    private static async Task<string> RunAsync(string program, string[] arguments)
    {
        var result = await ChildProcess.RunAsync(new ChildProcessOptions { FileName = program, Arguments = arguments }, TimeSpan.FromMinutes(10));
        return result.Succeeded ? result.Output : throw new InvalidOperationException($"{program} failed: {result.Output}");
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
