using System.Globalization;
using EmoFarm.Testing;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>Inputs made from the bundled samples, and facts about outputs read with ffprobe.</summary>
internal static class TestMedia
{
    public static byte[] Portrait() => File.ReadAllBytes(RepoPaths.Sample("portrait.png"));

    /// <summary>The sample speech repeated to about <paramref name="seconds"/> seconds, as WAV.</summary>
    public static async Task<byte[]> SpeechAsync(double seconds)
    {
        using var folder = new TempFolder("media");
        var output = folder.File("speech.wav");
        await RunAsync("ffmpeg", "-v", "error", "-stream_loop", "-1", "-i", RepoPaths.Sample("speech.wav"),
            "-t", seconds.ToString(CultureInfo.InvariantCulture), "-ac", "1", "-ar", "22050", output);
        return await File.ReadAllBytesAsync(output);
    }

    public sealed record VideoFacts(double Duration, int VideoFrames, double FrameRate, bool HasAudio, string Codec, string PixelFormat);

    public static async Task<VideoFacts> ProbeAsync(string path)
    {
        var video = (await RunAsync("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
            "-show_entries", "stream=nb_read_frames,codec_name,pix_fmt,r_frame_rate", "-of", "default=nw=1", path)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var duration = double.Parse((await RunAsync("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path)).Trim(), CultureInfo.InvariantCulture);
        var audio = (await RunAsync("ffprobe", "-v", "error", "-select_streams", "a", "-show_entries", "stream=codec_type", "-of", "csv=p=0", path)).Trim();
        var rate = video["r_frame_rate"].Split('/');
        return new VideoFacts(duration, int.Parse(video["nb_read_frames"], CultureInfo.InvariantCulture),
            double.Parse(rate[0], CultureInfo.InvariantCulture) / double.Parse(rate[1], CultureInfo.InvariantCulture),
            audio.Contains("audio", StringComparison.Ordinal), video["codec_name"], video["pix_fmt"]);
    }

    public static async Task<double> AudioSecondsAsync(string path) =>
        double.Parse((await RunAsync("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path)).Trim(), CultureInfo.InvariantCulture);

    private static async Task<string> RunAsync(string program, params string[] args)
    {
        var result = await ChildProcess.RunAsync(new ChildProcessOptions { FileName = program, Arguments = args }, TimeSpan.FromMinutes(2));
        if (!result.Succeeded)
            throw new InvalidOperationException($"{program} failed ({result.ExitCode}): {result.Output}");
        return result.Output;
    }
}
