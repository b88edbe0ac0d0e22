using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Seams;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Testing;
using Xunit;

namespace EmoFarm.Farm.Tests.Media;

public sealed class MediaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("png", 320, 192)]
    [InlineData("jpg", 321, 193)]
    [InlineData("webp", 322, 194)]
    public async Task ReadSize_EachFormat_MatchesWhatFfmpegWrote(string extension, int width, int height)
    {
        using var folder = new TempFolder("header");
        var path = folder.File($"image.{extension}");
        var result = await ChildProcess.RunAsync(new ChildProcessOptions
        {
            FileName = "ffmpeg",
            Arguments = ["-v", "error", "-i", RepoPaths.Sample("portrait.png"), "-vf", $"scale={width}:{height}", path],
        }, TimeSpan.FromMinutes(1), Ct);
        Assert.True(result.Succeeded, result.Output);
        Assert.Equal((width, height), ImageHeader.ReadSize(await File.ReadAllBytesAsync(path, Ct)));
    }

    [Fact]
    public void ReadSize_CutShortOrUnknown_IsNull()
    {
        var png = File.ReadAllBytes(RepoPaths.Sample("portrait.png"));
        Assert.Null(ImageHeader.ReadSize(png.AsSpan(0, 20)));
        Assert.Null(ImageHeader.ReadSize("GIF89a........................"u8));
    }

    [Fact]
    public async Task AudioDecoder_WithAMaximum_StopsThereHoweverLongTheFileIs()
    {
        using var folder = new TempFolder("decode-cap");
        var path = folder.File("silence.flac");
        var made = await ChildProcess.RunAsync(new ChildProcessOptions
        {
            FileName = "ffmpeg",
            Arguments = ["-v", "error", "-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "60", "-c:a", "flac", path],
        }, TimeSpan.FromMinutes(1), Ct);
        Assert.True(made.Succeeded, made.Output);
        // STREAMINFO's total of 0 means "unknown": the length shows only once decoded.
        await File.WriteAllBytesAsync(path, Corpus.AudioMutator.FlacTotalSamples(await File.ReadAllBytesAsync(path, Ct), 0), Ct);

        var capped = await AudioDecoder.DecodeAsync(path, 2.5, Ct);
        var whole = await AudioDecoder.DecodeAsync(path, Ct);

        Assert.Equal(2.5 * AudioDecoder.SampleRate, capped.Length);
        Assert.Equal(60 * AudioDecoder.SampleRate, whole.Length);
    }

    [Fact]
    public void PngCodec_RoundTrip_IsLossless()
    {
        var random = new Random(5);
        var pixels = new byte[37 * 23 * 3];
        random.NextBytes(pixels);
        var image = new RgbImage(37, 23, pixels);
        Assert.Equal(pixels, PngCodec.Decode(PngCodec.Encode(image)).Pixels);
    }

    [Fact]
    public async Task PngCodec_Output_DecodesInFfmpegToTheSamePixels()
    {
        var portrait = PngCodec.Decode(await File.ReadAllBytesAsync(RepoPaths.Sample("portrait.png"), Ct));
        using var folder = new TempFolder("png");
        var path = folder.File("frame.png");
        await File.WriteAllBytesAsync(path, PngCodec.Encode(portrait), Ct);
        var decoded = await ImageDecoder.DecodeAsync(path, portrait.Width, portrait.Height, Ct);
        Assert.Equal(portrait.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Crossfade_MovesFromLeftToRight()
    {
        var left = Enumerable.Range(0, 3).Select(_ => new RgbImage(1, 1, [0, 0, 0])).ToList();
        var right = Enumerable.Range(0, 3).Select(_ => new RgbImage(1, 1, [200, 200, 200])).ToList();
        Assert.Equal([50, 100, 150], Crossfade.Blend(left, right).Select(f => (int)f.Pixels[0]));
    }

    [Fact]
    public void SeamReport_HardCut_ScoresFarAboveOne()
    {
        // A slow ramp with one jump at frame 10: the jump is the only boundary.
        var frames = Enumerable.Range(0, 20).Select(i => new RgbImage(2, 2, Enumerable.Repeat((byte)(i + (i >= 10 ? 100 : 0)), 12).ToArray()));
        var report = SeamReport.Measure(frames, new HashSet<int> { 10 });
        Assert.Equal(1.0, report.InsideMean, 6);
        Assert.Equal(101.0, report.AcrossMean, 6);
        Assert.True(report.Ratio > 100);
    }
}
