using System.Globalization;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Frames;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Work;
using FFMpegCore;
using FFMpegCore.Pipes;

namespace EmoFarm.Benchmarks;

/// <summary>
/// The tail before chunks, kept here to compare against: FinalizeRender downloaded every frame's PNG and encoded them
/// all, with the original audio, in one ffmpeg (VideoEncoder.EncodeAsync and FinalizeRenderConsumer before commit
/// 1004e59, same arguments and the same 16-frame prefetch), then uploaded the MP4.
/// </summary>
internal static class SinglePassEncode
{
    /// <summary>Downloads, encodes and uploads under <paramref name="outputKey"/>; returns the MP4's size.</summary>
    public static async Task<long> RunAsync(IBlobStore blobs, IReadOnlyList<string> frameKeys, string audioKey, double audioSeconds,
        int width, int height, int fps, string outputKey, CancellationToken ct)
    {
        var work = Directory.CreateTempSubdirectory("emofarm-single-pass-");
        try
        {
            var audioPath = Path.Combine(work.FullName, "audio");
            var videoPath = Path.Combine(work.FullName, "render.mp4");
            await blobs.DownloadToFileAsync(audioKey, audioPath, ct);
            var frames = new FrameStore(blobs).Prefetch(frameKeys, 16, ct);
            var source = new RawVideoPipeSource(frames.Select(f => new RawFrame(f, width, height))) { FrameRate = fps };
            await FFMpegArguments
                .FromPipeInput(source)
                .AddFileInput(audioPath)
                .OutputToFile(videoPath, overwrite: true, o => o
                    .WithVideoCodec("libx264")
                    .WithAudioCodec("aac")
                    .WithFastStart()
                    .WithCustomArgument($"-pix_fmt yuv420p -map 0:v:0 -map 1:a:0 -t {audioSeconds.ToString("0.######", CultureInfo.InvariantCulture)}"))
                .ProcessAsynchronously(cancellationToken: ct);
            await blobs.UploadFileAsync(outputKey, videoPath, "video/mp4", ct);
            return new FileInfo(videoPath).Length;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private sealed class RawFrame(RgbImage image, int width, int height) : IVideoFrame
    {
        public int Width => width;
        public int Height => height;
        public string PixelFormat => "rgb24";

        public void Serialize(Stream pipe) => pipe.Write(image.Pixels);

        public Task SerializeAsync(Stream pipe, CancellationToken token) => pipe.WriteAsync(image.Pixels, token).AsTask();
    }
}
