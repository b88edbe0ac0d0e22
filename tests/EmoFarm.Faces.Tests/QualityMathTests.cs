using EmoFarm.Faces.Quality;
using Xunit;

namespace EmoFarm.Faces.Tests;

public sealed class QualityMathTests
{
    private static readonly double[] Syllables = [.. Enumerable.Range(0, 60).Select(t => Math.Max(0, Math.Sin(t * 0.7)) + (0.3 * Math.Sin(t * 0.23)))];

    [Fact]
    public void BestCorrelation_MouthTrailingTheSoundByTwoFrames_FindsTheLag()
    {
        var mouth = Syllables.Select((_, t) => t >= 2 ? Syllables[t - 2] : 0).ToArray();

        var (r, lag) = LipSync.BestCorrelation(mouth, Syllables);

        Assert.Equal(-2, lag);
        Assert.True(r > 0.99, $"r = {r}");
    }

    [Fact]
    public void BestCorrelation_ConstantMouth_IsZero() =>
        Assert.Equal(0, LipSync.BestCorrelation([.. Syllables.Select(_ => 0.2)], Syllables).Correlation);

    [Fact]
    public void BestCorrelation_FramesWithoutAFace_AreLeftOut()
    {
        var mouth = Syllables.Select((v, t) => t % 5 == 0 ? double.NaN : v).ToArray();

        Assert.True(LipSync.BestCorrelation(mouth, Syllables).Correlation > 0.999);
    }

    [Fact]
    public void Envelope_IsTheRmsOfEachFramesSamples()
    {
        // 2 frames at 10 fps of 100 Hz audio: frame 0 silent, frame 1 a constant 0.5 — after 5 lead samples.
        var samples = new float[5 + 20];
        for (var i = 15; i < 25; i++) samples[i] = i % 2 == 0 ? 0.5f : -0.5f;

        var envelope = LipSync.Envelope(samples, sampleRate: 100, leadSamples: 5, frames: 2, fps: 10);

        Assert.Equal([0.0, 0.5], envelope);
    }

    [Fact]
    public void ScoreSeam_ACutAtTheSeam_ScoresManyTimesTheMotionElsewhere()
    {
        var frames = Enumerable.Range(0, 20).Select(t => Face(dx: t * 0.5 + (t >= 10 ? 40 : 0))).ToList();

        var cut = LandmarkMotion.ScoreSeam(LandmarkMotion.Steps(frames), seamFrame: 10, window: 1);
        var smooth = LandmarkMotion.ScoreSeam(LandmarkMotion.Steps([.. Enumerable.Range(0, 20).Select(t => Face(dx: t * 0.5))]), 10, 1);

        Assert.True(cut.Ratio > 20, $"cut ratio {cut.Ratio}");
        Assert.InRange(smooth.Ratio, 0.9, 1.1);
    }

    [Fact]
    public void Steps_AreInFaceSizes_SoScaleDoesNotMatter()
    {
        var small = LandmarkMotion.Step(Face(0, 1), Face(1, 1));
        var large = LandmarkMotion.Step(Face(0, 3), Face(1, 3));

        Assert.Equal(small, large, 9);
        Assert.True(double.IsNaN(LandmarkMotion.Steps([Face(0), null])[0]));
    }

    /// <summary>A 68-point "face": a 10x10 grid-ish spread, shifted by dx and scaled.</summary>
    private static double[] Face(double dx, double scale = 1) =>
        [.. Enumerable.Range(0, 68).SelectMany(i => new[] { ((i % 9 * 10) + dx) * scale, i / 9 * 10 * scale })];
}
