using FFMpegCore.Pipes;

namespace EmoFarm.Farm.Media;

/// <summary>
/// Where ffmpeg's piped output goes. FFMpegCore (6.0) cancels its pipe reader's token the moment the ffmpeg process
/// exits, and treats that cancellation as a normal end; ffmpeg exits as soon as its last bytes are in the socket's
/// buffer, so a reader the thread pool has not scheduled yet (a busy orchestrator) loses the tail and the output is
/// silently short: a valid portrait then reads as "truncated or corrupt", a valid track as shorter than it is. This
/// sink ignores that token and reads to the end of the stream, which ffmpeg's exit (or its kill, on a caller's
/// cancellation) closes.
/// </summary>
public static class FfmpegOutput
{
    public static IPipeSink To(Stream destination) =>
        new StreamPipeSink((output, _) => output.CopyToAsync(destination, CancellationToken.None));
}
