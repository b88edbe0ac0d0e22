using EmoFarm.Faces.Detection;
using Xunit;

namespace EmoFarm.Faces.Tests;

public sealed class SsdOutputTests
{
    [Theory]
    [InlineData(512, 3, 2, 0, 1)]
    [InlineData(2, 3, 2, 0, 1)]
    [InlineData(256, 3, 1, 1, 1)]
    [InlineData(16, 1, 1, 0, 0)]
    public void SamePadding_MatchesTensorFlow_OddPixelAfter(long size, long kernel, long stride, long before, long after) =>
        Assert.Equal((before, after), TfConvolution.SamePadding(size, kernel, stride));

    [Fact]
    public void DecodeBoxes_ShiftsCentreByATenthAndScalesSizeByExpOfAFifth()
    {
        float[] anchor = [0.25f, 0.25f, 0.75f, 0.75f];
        var boxes = SsdOutput.DecodeBoxes(anchor, [1f, -2f, 5f * MathF.Log(2), 0f]);
        // centre (0.5 + 0.05, 0.5 − 0.1), height doubled to 1, width kept at 0.5
        Assert.Equal([0.05f, 0.15f, 1.05f, 0.65f], boxes, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void NonMaxSuppression_KeepsTheBestOfOverlapsAndEveryDisjointBox_BestFirst()
    {
        float[] boxes = [0, 0, 1, 1, 0, 0, 1, 0.9f, 2, 2, 3, 3, 5, 5, 6, 6];
        float[] scores = [0.8f, 0.9f, 0.7f, 0.4f];
        Assert.Equal([1, 2], SsdOutput.NonMaxSuppression(boxes, scores, maxResults: 100, iouThreshold: 0.5, minScore: 0.5));
        Assert.Equal([1], SsdOutput.NonMaxSuppression(boxes, scores, maxResults: 1, iouThreshold: 0.5, minScore: 0.5));
    }

    [Fact]
    public void NonMaxSuppression_EqualScores_KeepAnchorOrder()
    {
        float[] boxes = [0, 0, 1, 1, 2, 2, 3, 3, 0, 0, 1, 1];
        Assert.Equal([0, 1], SsdOutput.NonMaxSuppression(boxes, [0.6f, 0.6f, 0.6f], 100, 0.5, 0.5));
    }

    [Fact]
    public void ToImageBox_ScalesByFaceApisRoundedUnpaddedSize()
    {
        // 960×640 fills 512×341 of the input (341.33 rounded), so face-api scales y by 512 / 341, not 960 / 640 · 512 / 512.
        var box = SsdOutput.ToImageBox([0.25f, 0.5f, 0.5f, 1f], 960, 640, 512)!.Value;
        Assert.Equal(480, box.X, 9);
        Assert.Equal(480, box.Width, 9);
        Assert.Equal(0.25 * 512 / 341 * 640, box.Y, 9);
        Assert.Equal((0.5 - 0.25) * 512 / 341 * 640, box.Height, 9);
    }

    [Fact]
    public void ToImageBox_ClipsAtTheInputSquareOnly()
    {
        var box = SsdOutput.ToImageBox([-0.1f, -0.2f, 1.3f, 0.5f], 960, 640, 512)!.Value;
        Assert.Equal((0, 0), (box.X, box.Y));
        Assert.Equal(512.0 / 341 * 640, box.Bottom, 9); // below the image, in the padding
        Assert.Null(SsdOutput.ToImageBox([1.1f, 0f, 1.2f, 0.5f], 960, 640, 512));
    }
}
