using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces.Recognition;
using TorchSharp;
using Xunit;

namespace EmoFarm.Faces.Tests;

public sealed class FaceEmbedderTests
{
    [Fact]
    public void CosineSimilarity_SameDirection_IsOne() =>
        Assert.Equal(1.0, FaceEmbedder.CosineSimilarity([1f, 2f, -3f], [2f, 4f, -6f]), 12);

    [Fact]
    public void CosineSimilarity_OppositeDirection_IsMinusOne() =>
        Assert.Equal(-1.0, FaceEmbedder.CosineSimilarity([1f, 2f, -3f], [-0.5f, -1f, 1.5f]), 12);

    [Fact]
    public void CosineSimilarity_Orthogonal_IsZero() =>
        Assert.Equal(0.0, FaceEmbedder.CosineSimilarity([1f, 1f, 0f], [1f, -1f, 5f]), 12);

    [Fact]
    public void CosineSimilarity_KnownAngle_IsItsCosine() =>
        Assert.Equal(Math.Sqrt(0.5), FaceEmbedder.CosineSimilarity([1f, 0f], [3f, 3f]), 12);

    [Fact]
    public void CosineSimilarity_ZeroVector_IsZero() =>
        Assert.Equal(0.0, FaceEmbedder.CosineSimilarity([0f, 0f, 0f], [1f, 2f, 3f]));

    [Fact]
    public void CosineSimilarity_DifferentLengths_Throws() =>
        Assert.Throws<ArgumentException>(() => FaceEmbedder.CosineSimilarity([1f, 2f], [1f, 2f, 3f]));

    [Fact]
    public void Describe_BoxOutsideTheImage_GivesAZeroDescriptorAsFaceApiDoes()
    {
        using var embedder = FaceEmbedder.Load(FaceApiPackage.Models);
        var image = Noise(64, 48, seed: 1);
        var descriptors = embedder.Describe(image, [new FaceBox(100, 10, 20, 20), new FaceBox(-8, 30, 40, 40)]);
        Assert.All(descriptors[0], v => Assert.Equal(0f, v));
        Assert.Equal(FaceEmbedder.DescriptorLength, descriptors[1].Length);
        Assert.Contains(descriptors[1], v => v != 0f);
    }

    [Fact]
    public void Describe_RepeatedCalls_LiveTensorCountStaysFlat()
    {
        using var embedder = FaceEmbedder.Load(FaceApiPackage.Models);
        var image = Noise(200, 160, seed: 2);
        FaceBox[] boxes = [new(20, 10, 90, 100), new(100, 50, 120, 120)];
        embedder.Describe(image, boxes);
        var baseline = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (var i = 0; i < 4; i++)
        {
            embedder.Describe(image, boxes);
            embedder.Describe(image, boxes[0]);
        }

        Assert.Equal(baseline, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    private static RgbImage Noise(int width, int height, int seed)
    {
        var pixels = new byte[width * height * 3];
        new Random(seed).NextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }
}
