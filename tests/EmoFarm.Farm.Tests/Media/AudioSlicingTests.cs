using EmoFarm.Farm.Media;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Submission;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Testing;
using Xunit;

namespace EmoFarm.Farm.Tests.Media;

/// <summary>
/// The orchestrator cuts the segments' audio from a decoded file on disk a window at a time (<see cref="PcmFile"/>);
/// the workers must receive exactly the bytes the whole track decoded into memory gave them before.
/// </summary>
public sealed class AudioSlicingTests
{
    private const int Fps = 25;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <param name="arguments">How the 31 s input is made from the sample speech: formats that resample and downmix.</param>
    [Theory]
    [InlineData("speech.wav", new[] { "-c:a", "pcm_s16le" })]
    [InlineData("speech.mp3", new[] { "-ar", "44100", "-ac", "2", "-c:a", "libmp3lame" })]
    public async Task Slice_FromTheFileOnDisk_IsByteIdenticalToTheTrackInMemory(string name, string[] arguments)
    {
        using var folder = new TempFolder("slice");
        var path = folder.File(name);
        var made = await ChildProcess.RunAsync(new ChildProcessOptions
        {
            FileName = "ffmpeg",
            Arguments = ["-v", "error", "-stream_loop", "2", "-i", RepoPaths.Sample("speech.wav"), .. arguments, path],
        }, TimeSpan.FromMinutes(1), Ct);
        Assert.True(made.Succeeded, made.Output);
        var context = new OrchestratorOptions().AudioContextSeconds;

        var whole = await AudioDecoder.DecodeAsync(path, Ct);
        using var track = await PcmFile.DecodeAsync(path, maxSeconds: null, Ct);

        Assert.Equal(whole.Length, track.SampleCount);
        var segments = SegmentPlanner.Plan(SegmentPlanner.FrameCount(track.Seconds, Fps), 100, 12);
        // Several segments, overlapping, and a short last one whose context runs past the end of the track.
        Assert.True(segments.Count >= 7, $"{segments.Count} segments");
        Assert.True(segments[^1].FrameCount < 100, $"the last segment has {segments[^1].FrameCount} frames");
        foreach (var s in segments)
        {
            var (expected, expectedLead) = AudioSlicer.Slice(whole, s.FirstFrame, s.FrameCount, Fps, context);
            var (streamed, lead) = await AudioSlicer.SliceAsync(track, s.FirstFrame, s.FrameCount, Fps, context, Ct);
            Assert.Equal(expectedLead, lead);
            Assert.True(expected.AsSpan().SequenceEqual(streamed), $"segment {s.Index}: {streamed.Length} bytes streamed, {expected.Length} in memory");
        }
    }

    [Fact]
    public async Task DecodeAsync_WithAMaximum_StopsThereAndDisposeDeletesTheFile()
    {
        string file;
        using (var track = await PcmFile.DecodeAsync(RepoPaths.Sample("speech.wav"), 2.5, Ct))
        {
            Assert.Equal(2.5 * AudioDecoder.SampleRate, track.SampleCount);
            file = track.Path;
            Assert.True(File.Exists(file));
        }
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task DecodeAsync_NotAudio_ThrowsAMediaException()
    {
        using var folder = new TempFolder("slice-bad");
        var path = folder.File("noise.bin");
        await File.WriteAllBytesAsync(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37))], Ct);

        await Assert.ThrowsAsync<MediaException>(() => PcmFile.DecodeAsync(path, null, Ct));
    }

    [Fact]
    public async Task WriteAsync_Samples_ReadBackAsTheSameBytes()
    {
        var samples = Enumerable.Range(0, 5000).Select(i => MathF.Sin(i * 0.01f)).ToArray();
        using var track = await PcmFile.WriteAsync(samples, Ct);

        Assert.Equal(samples.Length, track.SampleCount);
        Assert.Equal(AudioDecoder.ToBytes(samples.AsSpan(1234, 777)), await track.ReadBytesAsync(1234, 777, Ct));
    }
}
