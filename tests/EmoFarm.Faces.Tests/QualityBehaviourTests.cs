using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces.Portrait;
using EmoFarm.Faces.Quality;
using Xunit;

namespace EmoFarm.Faces.Tests;

/// <summary>
/// The quality checks on sequences built from a real photograph with the real nets: a still face, a face whose
/// mouth opens with a known loudness envelope, and a cut. Each check must tell them apart.
/// </summary>
public sealed class QualityBehaviourTests : IAsyncLifetime
{
    private const int Size = 256, Frames = 40;
    private FaceAnalyzer analyzer = null!;
    private RgbImage photo = null!;
    private IReadOnlyList<FaceObservation> faces = [];

    public async ValueTask InitializeAsync()
    {
        analyzer = FaceAnalyzer.Load(FaceApiPackage.Models);
        photo = await FaceApiPackage.DecodeAsync(FaceApiPackage.Demo("sample1.jpg"), FaceApiReference.PhotoWidth, TestContext.Current.CancellationToken);
        faces = analyzer.Analyse(photo, 0.5);
        Assert.True(faces.Count >= 2, $"sample1.jpg should show several faces, found {faces.Count}");
    }

    public ValueTask DisposeAsync()
    {
        analyzer.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>An envelope with syllable-like bursts and pauses.</summary>
    private static readonly double[] Loudness = [.. Enumerable.Range(0, Frames).Select(t => Math.Max(0, Math.Sin(t * 0.9)) * (t % 13 < 10 ? 1 : 0.1))];

    [Fact]
    public void StillFrame_KeepsItsIdentity_AndHasNoLipSync()
    {
        var (portrait, reference) = Portrait(faces[0]);

        var track = FaceTrack.Measure(analyzer, reference.Descriptor, Enumerable.Repeat(portrait, Frames), 0.5);
        var (sync, _) = LipSync.BestCorrelation(track.MouthOpening, Loudness);

        TestContext.Current.TestOutputHelper?.WriteLine($"still: face share {track.FaceShare}, identity {track.IdentityMean:F4}, lip-sync {sync:F4}");
        Assert.Equal(1, track.FaceShare);
        Assert.True(track.IdentityMean > 0.99, $"identity {track.IdentityMean}");
        Assert.True(Math.Abs(sync) < 0.05, $"lip-sync {sync}");
    }

    [Fact]
    public void MouthOpeningWithTheAudio_HasAHighLipSync_AndAShuffledOneDoesNot()
    {
        var (portrait, reference) = Portrait(faces[0]);
        var inner = reference.Landmarks.Points.Skip(60).Take(8).ToList();
        var (cx, cy) = (inner.Average(p => p.X), inner.Average(p => p.Y));
        var mouthWidth = reference.Landmarks.Points[54].X - reference.Landmarks.Points[48].X;
        var frames = Loudness.Select(e => TestImages.OpenMouth(portrait, cx, cy, mouthWidth * 1.2, e * mouthWidth * 0.5)).ToList();

        var track = FaceTrack.Measure(analyzer, reference.Descriptor, frames, 0.5);
        var (sync, lag) = LipSync.BestCorrelation(track.MouthOpening, Loudness);
        var reversed = LipSync.BestCorrelation(track.MouthOpening, [.. Loudness.Reverse()]).Correlation;

        TestContext.Current.TestOutputHelper?.WriteLine($"warped: lip-sync {sync:F4} at lag {lag}; against the reversed audio {reversed:F4}; identity {track.IdentityMean:F4}");
        Assert.True(sync > 0.6, $"lip-sync {sync}");
        Assert.InRange(lag, -1, 1);
        Assert.True(reversed < 0.5, $"reversed audio still scores {reversed}");
    }

    [Fact]
    public void ACutToAnotherPerson_ScoresABadSeam_AndIdentityDrops()
    {
        var (first, reference) = Portrait(faces[0]);
        var (second, _) = Portrait(faces[1]);
        // A slow drift inside each half is the segments' own motion.
        var crop0 = Crop(faces[0]);
        var crop1 = Crop(faces[1]);
        var frames = Enumerable.Range(0, 20)
            .Select(t => t < 10 ? TestImages.CropResize(photo, crop0.Source, Size, dx: t * 0.4) : TestImages.CropResize(photo, crop1.Source, Size, dx: t * 0.4))
            .ToList();
        var smoothFrames = Enumerable.Range(0, 20).Select(t => TestImages.CropResize(photo, crop0.Source, Size, dx: t * 0.4)).ToList();

        var cut = FaceTrack.Measure(analyzer, reference.Descriptor, frames, 0.5);
        var smooth = FaceTrack.Measure(analyzer, reference.Descriptor, smoothFrames, 0.5);
        var cutSeam = LandmarkMotion.ScoreSeam(LandmarkMotion.Steps(cut.Points), seamFrame: 10, window: 1);
        var smoothSeam = LandmarkMotion.ScoreSeam(LandmarkMotion.Steps(smooth.Points), seamFrame: 10, window: 1);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"cut: seam ratio {cutSeam.Ratio:F2} (across {cutSeam.AcrossSeam:F4}, within {cutSeam.WithinSegments:F4}), identity min {cut.IdentityMin:F3}; " +
            $"smooth: ratio {smoothSeam.Ratio:F2}, identity min {smooth.IdentityMin:F3}");
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.True(cutSeam.Ratio > 4, $"a cut scored {cutSeam.Ratio}");
        Assert.True(smoothSeam.Ratio < 4, $"a smooth drift scored {smoothSeam.Ratio}");
        Assert.True(cut.IdentityMin < smooth.IdentityMin, $"identity min with the cut {cut.IdentityMin} vs without {smooth.IdentityMin}");
    }

    private PortraitCrop Crop(FaceObservation face) => PortraitFraming.Frame(face.Box, photo.Width, photo.Height, Size, Size, 1.8);

    private (RgbImage Portrait, FaceObservation Face) Portrait(FaceObservation face)
    {
        var portrait = TestImages.CropResize(photo, Crop(face).Source, Size);
        var framed = analyzer.AnalyseBest(portrait, 0.5);
        Assert.NotNull(framed);
        return (portrait, framed);
    }
}
