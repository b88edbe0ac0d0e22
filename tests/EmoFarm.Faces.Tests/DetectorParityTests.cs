using System.Diagnostics;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces.Detection;
using TorchSharp;
using Xunit;

namespace EmoFarm.Faces.Tests;

/// <summary>The SSD-MobileNetV1 detector against face-api's own run on the demo photographs.</summary>
[Collection("FaceApi")]
public sealed class DetectorParityTests(FaceApiReference reference) : IDisposable
{
    private readonly FaceDetector detector = FaceDetector.Load(FaceApiPackage.Models);

    [Fact]
    public void Detect_DemoPhotos_FindsFaceApisFacesWithItsBoxesAndScores()
    {
        var output = TestContext.Current.TestOutputHelper!;
        Assert.Equal(FaceApiPackage.DemoPhotos.Count, reference.Results.Count);
        for (var p = 0; p < reference.Photos.Count; p++)
        {
            var photo = reference.Photos[p];
            var expected = reference.Results[p].Faces;
            var stopwatch = Stopwatch.StartNew();
            var actual = detector.Detect(photo);
            stopwatch.Stop();

            var name = FaceApiPackage.DemoPhotos[p];
            Assert.True(expected.Count == actual.Count, $"{name}: face-api finds {expected.Count} faces, we find {actual.Count}");
            Assert.Equal(actual.OrderByDescending(d => d.Score), actual);
            var worstIoU = 1.0;
            var worstScore = 0.0;
            foreach (var face in expected)
            {
                var box = face.Box.ToFaceBox();
                var match = actual.MaxBy(d => d.Box.IoU(box));
                var iou = match.Box.IoU(box);
                Assert.True(iou > 0.9, $"{name}: face-api's face {box} (score {face.Score:0.####}) best matches {match.Box}, IoU {iou:0.####}");
                Assert.True(Math.Abs(match.Score - face.Score) < 0.01, $"{name}: face {box} scores {match.Score:0.####}, face-api {face.Score:0.####}");
                worstIoU = Math.Min(worstIoU, iou);
                worstScore = Math.Max(worstScore, Math.Abs(match.Score - face.Score));
            }

            output.WriteLine($"{name} {photo.Width}×{photo.Height}: {actual.Count} faces, worst IoU {worstIoU:0.000000}, " +
                             $"worst score difference {worstScore:0.0e+0}, {stopwatch.ElapsedMilliseconds} ms");
        }
    }

    [Fact]
    public void Detect_BlankGreyImage_FindsNoFace()
    {
        var grey = new RgbImage(640, 480, Enumerable.Repeat((byte)128, 640 * 480 * 3).ToArray());
        Assert.Empty(detector.Detect(grey));
    }

    [Fact]
    public void Detect_RepeatedCalls_LiveTensorCountStaysFlat()
    {
        var photo = reference.Photos[0];
        detector.Detect(photo);
        var baseline = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (var i = 0; i < 3; i++)
        {
            Assert.NotEmpty(detector.Detect(photo));
        }

        Assert.Equal(baseline, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    public void Dispose() => detector.Dispose();
}
