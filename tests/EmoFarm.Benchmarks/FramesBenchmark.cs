using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Storage;
using EmoFarm.Testing;

namespace EmoFarm.Benchmarks;

/// <summary>
/// What storing a 512x512 frame costs in each format: encode and decode time on this CPU, object size, and the
/// time to put and get it on a real S3 (Swift). The portrait is the friendly case; uniform noise the worst one.
/// </summary>
internal static class FramesBenchmark
{
    private sealed record Format(string Name, Func<RgbImage, byte[]> Encode, Func<byte[], RgbImage> Decode);

    public static async Task RunAsync(BenchArgs args)
    {
        var repeat = args.Int("repeat", 20, 1);
        args.RejectUnknown();

        var portrait = PngCodec.Decode(await File.ReadAllBytesAsync(Path.Combine(RepoRoot(), "samples", "portrait.png")));
        var noise = RgbImage.Blank(portrait.Width, portrait.Height);
        new Random(42).NextBytes(noise.Pixels);
        Format[] formats =
        [
            new("png fastest", f => PngCodec.Encode(f, CompressionLevel.Fastest), b => PngCodec.Decode(b)),
            new("png optimal", f => PngCodec.Encode(f, CompressionLevel.Optimal), b => PngCodec.Decode(b)),
            // Raw still costs one copy each way, as the frame's buffer is handed to the store or the encoder.
            new("raw rgb", f => f.Pixels.ToArray(), b => new RgbImage(portrait.Width, portrait.Height, b.ToArray())),
        ];

        Console.WriteLine("starting Swift S3 ...");
        await using var swift = await SwiftS3Server.StartAsync();
        var blobs = new S3BlobStore(S3BlobStore.CreateClient(new S3Options
        {
            Endpoint = swift.Endpoint,
            AccessKey = swift.AccessKey,
            SecretKey = swift.SecretKey,
            Region = swift.Region,
            Bucket = "frames",
        }), "frames");
        await blobs.EnsureReadyAsync(CancellationToken.None);

        Console.WriteLine($"{portrait.Width}x{portrait.Height} RGB frame, median of {repeat} runs (ms) after a warm-up");
        Console.WriteLine("frame     format             bytes  ratio   encode   decode   s3 put   s3 get");
        foreach (var (label, frame) in new[] { ("portrait", portrait), ("noise", noise) })
        {
            foreach (var format in formats)
            {
                var bytes = format.Encode(frame);
                if (!format.Decode(bytes).Pixels.AsSpan().SequenceEqual(frame.Pixels))
                    throw new InvalidOperationException($"{format.Name} did not round-trip the {label} frame");
                var key = $"bench/{label}/{format.Name.Replace(' ', '-')}";
                var encode = await MedianAsync(repeat, () => { _ = format.Encode(frame); return Task.CompletedTask; });
                var decode = await MedianAsync(repeat, () => { _ = format.Decode(bytes); return Task.CompletedTask; });
                var put = await MedianAsync(repeat, () => blobs.PutBytesAsync(key, bytes, "application/octet-stream", CancellationToken.None));
                var get = await MedianAsync(repeat, () => blobs.GetBytesAsync(key, CancellationToken.None));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label,-9} {format.Name,-12} {bytes.Length,11} {bytes.Length / (double)frame.Pixels.Length,6:F3} {encode,8:F2} {decode,8:F2} {put,8:F2} {get,8:F2}"));
            }
        }
    }

    private static async Task<double> MedianAsync(int repeat, Func<Task> action)
    {
        for (var i = 0; i < 3; i++)
            await action();
        var times = new List<double>(repeat);
        for (var i = 0; i < repeat; i++)
        {
            var clock = Stopwatch.StartNew();
            await action();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return new Percentiles(times).Median;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EmoFarm.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("EmoFarm.sln not found above " + AppContext.BaseDirectory);
    }
}
