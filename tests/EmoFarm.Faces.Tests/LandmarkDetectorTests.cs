using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces.Landmarks;
using TorchSharp;
using Xunit;

namespace EmoFarm.Faces.Tests;

public sealed class LandmarkDetectorTests : IDisposable
{
    private readonly LandmarkDetector detector = LandmarkDetector.Load(FaceApiPackage.Models);

    [Fact]
    public void Detect_RepeatedCalls_LiveTensorCountStaysFlat()
    {
        var image = Noise(320, 240);
        FaceBox[] boxes = [new(40.5, 30.25, 120, 150), new(-20, 100, 90, 90), new(250, 200, 100, 60)];
        detector.Detect(image, boxes);
        var baseline = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (var i = 0; i < 5; i++)
        {
            detector.Detect(image, boxes);
            detector.Detect(image, boxes[0]);
        }

        Assert.Equal(baseline, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Detect_BoxOutsideTheImage_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.Detect(Noise(64, 64), new FaceBox(80, 10, 20, 20)));
    }

    [Fact]
    public void Detect_NoBoxes_ReturnsNothing()
    {
        Assert.Empty(detector.Detect(Noise(64, 64), []));
    }

    public void Dispose() => detector.Dispose();

    private static RgbImage Noise(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        new Random(7).NextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }
}
