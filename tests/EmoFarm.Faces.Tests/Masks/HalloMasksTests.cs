using EmoFarm.Faces.Landmarks;
using EmoFarm.Faces.Masks;
using Xunit;

namespace EmoFarm.Faces.Tests.Masks;

public sealed class HalloMasksTests
{
    // The fixture's first portrait: a plausible face, so that only the argument under test is wrong.
    private static readonly HalloMaskCase Face = HalloMaskFixture.Case("square512");

    [Fact]
    public void Compute_TooFewLandmarks_NamesTheParameterAndTheMinimum()
    {
        var e = Assert.Throws<ArgumentException>(() => HalloMasks.Compute([.. Face.Landmarks.Take(467)], 512, 512));

        Assert.Equal("landmarks", e.ParamName);
        Assert.Contains("467 points", e.Message, StringComparison.Ordinal);
        Assert.Contains("at least 468", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_NullLandmarks_Throws() =>
        Assert.Equal("landmarks", Assert.Throws<ArgumentNullException>(() => HalloMasks.Compute(null!, 512, 512)).ParamName);

    [Theory]
    [InlineData(0, 512, "width", "1..16384")]
    [InlineData(16385, 512, "width", "1..16384")]
    [InlineData(512, -3, "height", "1..16384")]
    public void Compute_BadPortraitSize_NamesTheSideAndTheLimit(int width, int height, string parameter, string limit)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => HalloMasks.Compute(Face.Landmarks, width, height));

        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(limit, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.2)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(100.5)]
    public void Compute_BadExpandRatio_NamesTheRatioAndTheLimit(double ratio)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => HalloMasks.Compute(Face.Landmarks, 512, 512, ratio));

        Assert.Equal("faceExpandRatio", e.ParamName);
        Assert.Contains("above 0 and at most 100", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(500)]
    [InlineData(4160)]
    public void Compute_BadImageSize_NamesTheSizeAndTheRule(int imageSize)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => HalloMasks.Compute(Face.Landmarks, 512, 512, 1.2, imageSize));

        Assert.Equal("imageSize", e.ParamName);
        Assert.Contains("multiple of 64 from 64 to 4096", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-2e6)]
    public void Compute_UnusableLandmarkOnTheLips_NamesItsIndex(double x)
    {
        var landmarks = Face.Landmarks.ToArray();
        landmarks[61] = new FacePoint(x, 300);

        var e = Assert.Throws<ArgumentException>(() => HalloMasks.Compute(landmarks, 512, 512));

        Assert.Equal("landmarks", e.ParamName);
        Assert.Contains("landmarks[61]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_ImageSize64_GivesLevelsOf8To1AndALocatorOf64Squared()
    {
        var masks = HalloMasks.Compute(Face.Landmarks, 512, 512, 1.2, 64);

        Assert.Equal(64 * 64, masks.FaceLocator.Length);
        Assert.Equal([64, 16, 4, 1], masks.Masks.Lip.Select(l => l.Length));
        Assert.All(masks.Masks.Full.Concat(masks.Masks.Face).Concat(masks.Masks.Lip).SelectMany(l => l), v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void ToConditioning_PassesTheLocatorMasksAndEmbeddingThrough()
    {
        var masks = HalloMasks.Compute(Face.Landmarks, 512, 512, 1.2, 128);
        var embedding = new float[512];

        var conditioning = masks.ToConditioning(embedding);

        Assert.Same(masks.FaceLocator, conditioning.FaceMask);
        Assert.Same(masks.Masks, conditioning.Masks);
        Assert.Same(embedding, conditioning.FaceEmbedding);
    }

    [Fact]
    public void MaskRegion_NegativeStart_CountsFromTheFarEdgeAsNumPyDoes()
    {
        // Hallo's mask[-92:256] on 256 columns covers columns 164..255; a start below −width covers from 0.
        Assert.Equal((164, 256), new MaskRegion(-92, 256, 0, 10).ColumnSpan(256));
        Assert.Equal((0, 100), new MaskRegion(-300, 100, 0, 10).ColumnSpan(256));
        Assert.Equal((50, 50), new MaskRegion(50, 40, 0, 10).ColumnSpan(256));
    }
}
