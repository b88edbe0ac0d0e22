using EmoFarm.Testing;
using Xunit;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>`emofarm render`: the whole farm in one process, as the README's first command runs it.</summary>
public sealed class CliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<ChildProcessResult> EmofarmAsync(params string[] args) => ChildProcess.RunAsync(new ChildProcessOptions
    {
        FileName = "dotnet",
        Arguments = [RepoPaths.Assembly("EmoFarm.Cli", "emofarm.dll"), .. args],
    }, TimeSpan.FromMinutes(5), Ct);

    [Fact]
    public async Task Render_Embedded_WritesAVideoAsLongAsTheAudio()
    {
        using var folder = new TempFolder("cli");
        var audio = folder.File("speech.wav");
        await File.WriteAllBytesAsync(audio, await TestMedia.SpeechAsync(2.5), Ct);
        var video = folder.File("out.mp4");

        var result = await EmofarmAsync("render", "--image", RepoPaths.Sample("portrait.png"), "--audio", audio, "--out", video,
            "--config", "tiny", "--random-weights", "--width", "64", "--height", "64", "--steps", "1", "--segment-frames", "40", "--overlap-frames", "4");

        Assert.True(result.Succeeded, result.Output);
        Assert.Contains("RANDOM WEIGHTS", result.Output, StringComparison.Ordinal);
        var facts = await TestMedia.ProbeAsync(video);
        Assert.InRange(facts.Duration, 2.5 - 0.04, 2.5 + 0.04);
        Assert.Equal(63, facts.VideoFrames);
        Assert.True(facts.HasAudio);
    }

    [Fact]
    public async Task Render_NoWeightsAndNoRandomWeights_RefusesLoudly()
    {
        using var folder = new TempFolder("cli");
        var result = await EmofarmAsync("render", "--image", RepoPaths.Sample("portrait.png"), "--audio", RepoPaths.Sample("speech.wav"),
            "--out", folder.File("out.mp4"), "--config", "tiny");

        Assert.False(result.Succeeded);
        Assert.Contains("No model weights were given", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("out.mp4")));
    }

    [Fact]
    public async Task Render_BadParameter_NamesTheField()
    {
        using var folder = new TempFolder("cli");
        var result = await EmofarmAsync("render", "--image", RepoPaths.Sample("portrait.png"), "--audio", RepoPaths.Sample("speech.wav"),
            "--out", folder.File("out.mp4"), "--config", "tiny", "--random-weights", "--width", "100");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("parameters.width", result.Output, StringComparison.Ordinal);
    }
}
