using System.Globalization;
using EmoFarm.Contracts.Rendering;
using FFMpegCore;
using FFMpegCore.Pipes;

namespace EmoFarm.Farm.Media;

/// <summary>Stitches frames and the original audio into a streamable H.264 MP4.</summary>
public static class VideoEncoder
{
    /// <param name="frames">Produced lazily, so a long render never holds all its frames in memory.</param>
    public static async Task EncodeAsync(IEnumerable<RgbImage> frames, int width, int height, int fps,
        string audioPath, double audioSeconds, string outputPath, CancellationToken ct)
    {
        var source = new RawVideoPipeSource(frames.Select(f => new RawFrame(f, width, height))) { FrameRate = fps };
        await FFMpegArguments
            .FromPipeInput(source)
            .AddFileInput(audioPath)
            .OutputToFile(outputPath, overwrite: true, o => o
                .WithVideoCodec("libx264")
                .WithAudioCodec("aac")
                .WithFastStart()
                // The video has ceil(seconds × fps) frames; cutting at the audio's length keeps the file exactly
                // as long as the audio, within one frame.
                .WithCustomArgument($"-pix_fmt yuv420p -map 0:v:0 -map 1:a:0 -t {audioSeconds.ToString("0.######", CultureInfo.InvariantCulture)}"))
            .ProcessAsynchronously(cancellationToken: ct);
    }

    private sealed class RawFrame(RgbImage image, int width, int height) : IVideoFrame
    {
        public int Width => width;
        public int Height => height;
        public string PixelFormat => "rgb24";

        public void Serialize(Stream pipe) => pipe.Write(Checked());

        public Task SerializeAsync(Stream pipe, CancellationToken token) => pipe.WriteAsync(Checked(), token).AsTask();

        private byte[] Checked() => image.Width == width && image.Height == height
            ? image.Pixels
            : throw new InvalidOperationException($"frame is {image.Width}x{image.Height}, expected {width}x{height}");
    }
}
