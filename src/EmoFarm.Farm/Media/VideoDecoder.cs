using System.Diagnostics;
using System.Globalization;
using EmoFarm.Contracts.Rendering;

namespace EmoFarm.Farm.Media;

/// <summary>Streams a video's frames as RGB, one at a time, so a long video never sits in memory whole.</summary>
public static class VideoDecoder
{
    public static IEnumerable<RgbImage> Frames(string path, int width, int height)
    {
        var start = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{width.ToString(CultureInfo.InvariantCulture)}x{height.ToString(CultureInfo.InvariantCulture)}", "-" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new MediaException("ffmpeg did not start");
        var errors = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.BaseStream;
        while (true)
        {
            var frame = new byte[width * height * 3];
            var read = stdout.ReadAtLeast(frame, frame.Length, throwOnEndOfStream: false);
            if (read < frame.Length)
                break;
            yield return new RgbImage(width, height, frame);
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new MediaException($"could not be decoded as video: {errors.Result}");
    }
}
