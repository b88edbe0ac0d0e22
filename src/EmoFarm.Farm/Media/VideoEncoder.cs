using System.Globalization;
using EmoFarm.Contracts.Rendering;
using FFMpegCore;
using FFMpegCore.Pipes;

namespace EmoFarm.Farm.Media;

/// <summary>
/// Encodes a span of frames into one chunk of the video: H.264 yuv420p in MPEG-TS. Every chunk is an independent
/// encode with the same settings, so it starts on an IDR frame and any run of chunks plays (and stream-copies) as
/// one video; its timestamps start where the span does, so consecutive chunks are also consecutive HLS segments.
/// </summary>
public static class VideoEncoder
{
    /// <summary>
    /// x264's defaults, plus a fixed thread count: x264's output depends on its threads, which would otherwise follow
    /// the machine, and a repeated encode must write the same bytes wherever it runs. One thread: a chunk encode is
    /// background work beside the GPU's, and the worker runs two at once, so it takes two cores, not eight, from the
    /// processes that feed the GPU and move the work along.
    /// </summary>
    public const string X264Arguments = "-pix_fmt yuv420p -threads 1";

    /// <param name="frames">Produced lazily, so a long span never holds all its frames in memory.</param>
    public static async Task EncodeChunkAsync(IEnumerable<RgbImage> frames, int width, int height, int fps, int firstFrame, string outputPath, CancellationToken ct)
    {
        var source = new RawVideoPipeSource(frames.Select(f => new RawFrame(f, width, height))) { FrameRate = fps };
        var offset = (double)firstFrame / fps;
        await FFMpegArguments
            .FromPipeInput(source)
            .OutputToFile(outputPath, overwrite: true, o => o
                .WithVideoCodec("libx264")
                .ForceFormat("mpegts")
                // The B-frame delay gives the first chunk a negative first DTS, which the muxer would otherwise fix by
                // shifting that chunk alone (by two frames) and break the timeline's continuity; MPEG-TS's own
                // mux delay keeps every timestamp positive anyway.
                .WithCustomArgument($"{X264Arguments} -an -avoid_negative_ts disabled -output_ts_offset {offset.ToString("0.#########", CultureInfo.InvariantCulture)}"))
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
