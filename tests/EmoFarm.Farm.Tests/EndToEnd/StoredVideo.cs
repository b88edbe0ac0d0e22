using System.Globalization;
using EmoFarm.Testing;
using Minio.DataModel.Args;
using Xunit;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>Stored objects of a render read straight from the bucket, and what ffmpeg reads in video files.</summary>
internal static class StoredVideo
{
    public static async Task DownloadAsync(FarmHarness farm, string key, string path, CancellationToken ct)
    {
        await using var file = File.Create(path);
        await farm.S3Client().GetObjectAsync(new GetObjectArgs().WithBucket(farm.Bucket).WithObject(key)
            .WithCallbackStream((stream, token) => stream.CopyToAsync(file, token)), ct);
    }

    /// <summary>Every frame, decoded by ffmpeg to RGB, in order.</summary>
    public static async Task<IReadOnlyList<byte[]>> FramesAsync(string video, int width, int height, string folder, CancellationToken ct)
    {
        var raw = Path.Combine(folder, Path.GetFileName(video) + ".rgb");
        await RunAsync("ffmpeg", ct, "-y", "-v", "error", "-i", video, "-f", "rawvideo", "-pix_fmt", "rgb24", raw);
        var bytes = await File.ReadAllBytesAsync(raw, ct);
        Assert.Equal(0, bytes.Length % (width * height * 3));
        return [.. bytes.Chunk(width * height * 3)];
    }

    /// <summary>The MD5 of each packet of the first audio stream, as stored (not decoded).</summary>
    public static async Task<IReadOnlyList<string>> AudioPacketsAsync(string file, CancellationToken ct) =>
        [.. (await RunAsync("ffmpeg", ct, "-v", "error", "-i", file, "-map", "0:a:0", "-c", "copy", "-f", "framemd5", "-"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#')).Select(l => l.Split(',')[^1].Trim())];

    /// <summary>The picture types of the video's frames, in order ("I", "P", "B"), with whether each is a key frame.</summary>
    public static async Task<IReadOnlyList<(bool Key, string Type)>> PictureTypesAsync(string file, CancellationToken ct) =>
        [.. (await RunAsync("ffprobe", ct, "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=key_frame,pict_type", "-of", "csv=p=0", file))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(',')).Select(p => (p[0] == "1", p[1]))];

    /// <summary>The video stream's first timestamp, in seconds.</summary>
    public static async Task<double> StartSecondsAsync(string file, CancellationToken ct) =>
        // An MPEG-TS lists the stream twice, once in its program.
        double.Parse((await RunAsync("ffprobe", ct, "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=start_time", "-of", "csv=p=0", file))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0], CultureInfo.InvariantCulture);

    /// <summary>Peak signal-to-noise ratio of two RGB frames, in dB (infinite when identical).</summary>
    public static double Psnr(byte[] a, byte[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        return sum == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 * a.Length / sum);
    }

    public static async Task<string> RunAsync(string program, CancellationToken ct, params string[] args)
    {
        var result = await ChildProcess.RunAsync(new ChildProcessOptions { FileName = program, Arguments = args }, TimeSpan.FromMinutes(2), ct);
        Assert.True(result.Succeeded, $"{program} failed ({result.ExitCode}): {result.Output}");
        return result.Output;
    }
}
