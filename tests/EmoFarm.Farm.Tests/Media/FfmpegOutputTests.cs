using EmoFarm.Farm.Media;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Testing;
using FFMpegCore;
using FFMpegCore.Pipes;
using Xunit;

namespace EmoFarm.Farm.Tests.Media;

/// <summary>
/// A busy orchestrator schedules the pipe reader late: ffmpeg has written its output into the socket and exited
/// before the reader has read it. FFMpegCore's own sink then lost the output, and under load a valid portrait was
/// refused as "could not be decoded (truncated or corrupt)".
/// </summary>
public sealed class FfmpegOutputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task To_ReaderScheduledOnlyAfterFfmpegExited_GetsEveryByteFfmpegWrote()
    {
        using var folder = new TempFolder("pipe");
        const string Filter = "scale=64:64:flags=area";
        var expected = folder.File("expected.rgb");
        var reference = await ChildProcess.RunAsync(new ChildProcessOptions
        {
            FileName = "ffmpeg",
            Arguments = ["-v", "error", "-i", RepoPaths.Sample("portrait.png"), "-frames:v", "1", "-vf", Filter, "-pix_fmt", "rgb24", "-f", "rawvideo", expected],
        }, TimeSpan.FromMinutes(1), Ct);
        Assert.True(reference.Succeeded, reference.Output);

        // 12 KiB, all in the socket's buffer when ffmpeg exits.
        using var output = new MemoryStream();
        await FFMpegArguments.FromFileInput(RepoPaths.Sample("portrait.png"))
            .OutputToPipe(new LateSink(FfmpegOutput.To(output)), o => o.WithCustomArgument($"-frames:v 1 -vf {Filter} -pix_fmt rgb24").ForceFormat("rawvideo"))
            .ProcessAsynchronously(cancellationToken: Ct);

        Assert.Equal(await File.ReadAllBytesAsync(expected, Ct), output.ToArray());
    }

    /// <summary>
    /// Starts reading only once FFMpegCore has seen ffmpeg exit: it cancels the reader's token then, which is the
    /// moment a starved reader's turn comes too late for FFMpegCore's own sink.
    /// </summary>
    private sealed class LateSink(IPipeSink sink) : IPipeSink
    {
        public async Task ReadAsync(Stream inputStream, CancellationToken cancellationToken)
        {
            var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(exited.SetResult))
                await exited.Task;
            await sink.ReadAsync(inputStream, cancellationToken);
        }

        public string GetStreamArguments() => sink.GetStreamArguments();
    }
}
