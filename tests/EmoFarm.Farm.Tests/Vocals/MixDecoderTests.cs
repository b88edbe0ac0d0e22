using System.Runtime.InteropServices;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Farm.Vocals;
using EmoFarm.Testing;
using Xunit;

namespace EmoFarm.Farm.Tests.Vocals;

/// <summary>The separator's 44.1 kHz stereo input, read back from disk a block at a time, is what ffmpeg decodes.</summary>
public sealed class MixDecoderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <param name="filter">How the sample speech becomes the input: two different channels, or one.</param>
    [Theory]
    [InlineData("stereo", "pan=stereo|c0=c0|c1=-0.5*c0", 2)]
    [InlineData("mono", "volume=0.8", 1)]
    public async Task DecodeAsync_ResampledFile_ChannelsAreFfmpegsSamples(string name, string filter, int channels)
    {
        using var folder = new TempFolder("mix-decode");
        var input = folder.File($"{name}.wav");
        await FfmpegAsync("-i", RepoPaths.Sample("speech.wav"), "-af", filter, "-c:a", "pcm_s16le", input);
        var raw = folder.File("expected.f32");
        await FfmpegAsync("-i", input, "-ar", "44100", "-f", "f32le", raw);
        var expected = MemoryMarshal.Cast<byte, float>(await File.ReadAllBytesAsync(raw, Ct)).ToArray();

        var (left, right) = await MixDecoder.DecodeAsync(input, Ct);

        // More than one read block (65536 frames), so the blocks are seen to join.
        Assert.True(left.Length > 3 * 65536, $"{left.Length} frames");
        Assert.Equal(expected.Length / channels, left.Length);
        Assert.Equal(expected.Where((_, i) => i % channels == 0), left);
        Assert.Equal(expected.Where((_, i) => i % channels == channels - 1), right);
        if (channels == 2)
            Assert.NotEqual(left, right);
    }

    private static async Task FfmpegAsync(params string[] arguments)
    {
        var result = await ChildProcess.RunAsync(new ChildProcessOptions { FileName = "ffmpeg", Arguments = ["-v", "error", "-y", .. arguments] },
            TimeSpan.FromMinutes(1), Ct);
        Assert.True(result.Succeeded, result.Output);
    }
}
