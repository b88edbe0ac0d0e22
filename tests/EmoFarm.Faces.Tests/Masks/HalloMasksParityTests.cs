using EmoFarm.Faces.Masks;
using Xunit;

namespace EmoFarm.Faces.Tests.Masks;

/// <summary>
/// HalloMasks against Hallo's own get_mask and ImageProcessor (tests/fixtures/hallo-masks): every intermediate
/// image and every final tensor byte for byte, on 19 portraits (square, non-square, small and large; faces at
/// each border, outside the image, wider than it and covering it; expand ratios 1.0, 1.2 and 1.5; model sizes
/// 512 and 128).
/// </summary>
public sealed class HalloMasksParityTests
{
    public static TheoryData<string> Cases() => [.. HalloMaskFixture.CaseNames()];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_HalloCase_BoxesEqualExpandRegions(string name)
    {
        var c = HalloMaskFixture.Case(name);
        var masks = Compute(c);

        Assert.Equal(c.LipRegion, masks.LipRegion);
        Assert.Equal(c.FaceRegion, masks.FaceRegion);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_HalloCase_EveryPngEqualsHallos(string name)
    {
        var masks = Compute(HalloMaskFixture.Case(name));

        AssertSame(HalloMaskFixture.Png(name, "lip_mask"), masks.LipMask, "lip_mask");
        AssertSame(HalloMaskFixture.Png(name, "face_mask"), masks.FaceMask, "face_mask");
        AssertSame(HalloMaskFixture.Png(name, "face_mask_blur"), masks.FaceMaskBlur, "face_mask_blur");
        AssertSame(HalloMaskFixture.Png(name, "sep_lip"), masks.SepLip, "sep_lip");
        AssertSame(HalloMaskFixture.Png(name, "sep_background"), masks.SepBackground, "sep_background");
        AssertSame(HalloMaskFixture.Png(name, "sep_face"), masks.SepFace, "sep_face");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_HalloCase_TensorsEqualHallosBitForBit(string name)
    {
        var c = HalloMaskFixture.Case(name);
        var masks = Compute(c);
        var tensors = HalloMaskFixture.Tensors(name);
        var s = c.ImageSize;

        // cond_transform of the RGB face mask: [3, S, S], three copies of the one channel FaceLocator holds.
        var (shape, values) = tensors["face_region"];
        Assert.Equal([3L, s, s], shape);
        for (var channel = 0; channel < 3; channel++)
            AssertBits(values.AsSpan(channel * s * s, s * s), masks.FaceLocator, $"face_region channel {channel}");

        foreach (var (kind, levels) in new[] { ("full", masks.Masks.Full), ("face", masks.Masks.Face), ("lip", masks.Masks.Lip) })
        {
            Assert.Equal(4, levels.Count);
            for (var i = 0; i < 4; i++)
            {
                var side = (s / 8) >> i;
                var (levelShape, levelValues) = tensors[$"mask_{kind}_{i}"];
                Assert.Equal([1L, (long)side * side], levelShape);
                AssertBits(levelValues, levels[i], $"mask_{kind}_{i}");
            }
        }
    }

    [Theory]
    [InlineData(31)]
    [InlineData(51)]
    public void GaussianKernel_HallosSizes_EqualsOpenCvsGetGaussianKernel(int n)
    {
        var expected = HalloMaskFixture.GaussianKernel(n);
        var actual = OpenCvGaussianKernel.Double(n);

        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(51)]
    public void FixedPointKernel_HallosSizes_SumsTo256AndIsSymmetric(int n)
    {
        var taps = OpenCvGaussianKernel.FixedPoint(n);

        Assert.Equal(256, taps.Sum());
        Assert.Equal(taps, taps.Reverse());
        Assert.All(taps, t => Assert.InRange(t, 0, 256));
    }

    private static HalloMaskSet Compute(HalloMaskCase c) =>
        HalloMasks.Compute(c.Landmarks, c.Width, c.Height, c.FaceExpandRatio, c.ImageSize);

    private static void AssertSame(GrayImage expected, GrayImage actual, string what)
    {
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        var differing = expected.Pixels.Zip(actual.Pixels).Select((p, i) => (p.First, p.Second, i)).Where(p => p.First != p.Second).ToList();
        Assert.True(differing.Count == 0,
            $"{what}: {differing.Count} pixels differ, at most by {differing.Select(d => Math.Abs(d.First - d.Second)).DefaultIfEmpty().Max()}; " +
            $"first at ({differing.FirstOrDefault().i % expected.Width}, {differing.FirstOrDefault().i / expected.Width})");
    }

    private static void AssertBits(ReadOnlySpan<float> expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var differing = 0;
        var largest = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i])) continue;
            differing++;
            largest = Math.Max(largest, Math.Abs(expected[i] - actual[i]));
        }

        Assert.True(differing == 0, $"{what}: {differing} of {actual.Length} values differ, at most by {largest}");
    }
}
