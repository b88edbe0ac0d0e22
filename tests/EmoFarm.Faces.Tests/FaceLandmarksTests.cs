using EmoFarm.Faces.Landmarks;
using Xunit;

namespace EmoFarm.Faces.Tests;

public sealed class FaceLandmarksTests
{
    [Fact]
    public void MouthOpening_ClosedLips_IsZero()
    {
        Assert.Equal(0, Face(gap: 0).MouthOpening, 12);
    }

    [Fact]
    public void MouthOpening_WiderGap_IsLarger()
    {
        var small = Face(gap: 5).MouthOpening;
        var large = Face(gap: 20).MouthOpening;
        Assert.True(small > 0.01, $"{small}");
        Assert.True(large > 2 * small, $"{small} then {large}");
    }

    [Fact]
    public void MouthOpening_ScaledFace_IsUnchanged()
    {
        Assert.Equal(Face(gap: 10).MouthOpening, Face(gap: 10, scale: 3).MouthOpening, 12);
    }

    [Fact]
    public void AlignedBox_SizesByEyeToMouthDistance_AndPlacesTheCentreAt50And43Percent()
    {
        // Eye centres (±39, 0), mouth centre (0, 90): eye-to-mouth √(39² + 90²) ≈ 98.09, so the side is
        // ⌊98.09 / 0.45⌋ = 217; the three centres average to (0, 30).
        var box = Face(gap: 0, left: 500, top: 500).AlignedBox();
        Assert.Equal(new FaceBox(Math.Floor(500 - (0.5 * 217)), Math.Floor(530 - (0.43 * 217)), 217, 217), box);
    }

    [Fact]
    public void Constructor_WrongPointCount_Throws()
    {
        Assert.Throws<ArgumentException>(() => new FaceLandmarks([new FacePoint(0, 0)]));
    }

    /// <summary>
    /// A schematic face: eyes centred on y = 0 at x = ±40, every mouth point symmetric about y = 90 so the mouth
    /// centre stays put while the inner lips (61–63 above, 65–67 below) move <paramref name="gap"/> apart.
    /// </summary>
    private static FaceLandmarks Face(double gap, double scale = 1, double left = 0, double top = 0)
    {
        var points = new FacePoint[68];
        for (var i = 0; i < 36; i++) points[i] = new FacePoint(0, 45); // jaw, brows, nose: unused here
        for (var i = 0; i < 6; i++)
        {
            var dy = i < 3 ? -2 : 2;
            points[36 + i] = new FacePoint(-40 + (i % 3), dy);
            points[42 + i] = new FacePoint(40 - (i % 3), dy);
        }

        // Outer lips 48–59: a ring around (0, 90); the pairs (48, 54), (49, 59)… mirror about the centre line.
        for (var i = 0; i < 12; i++)
        {
            var angle = Math.PI * i / 6;
            points[48 + i] = new FacePoint(-30 * Math.Cos(angle), 90 - (12 * Math.Sin(angle)));
        }

        points[60] = new FacePoint(-20, 90);
        points[64] = new FacePoint(20, 90);
        for (var k = 1; k <= 3; k++)
        {
            var x = (k - 2) * 10;
            points[60 + k] = new FacePoint(x, 90 - (gap / 2)); // 61, 62, 63: upper inner lip
            points[68 - k] = new FacePoint(x, 90 + (gap / 2)); // 67, 66, 65: the lower points facing them
        }

        return new FaceLandmarks([.. points.Select(p => new FacePoint(left + (scale * p.X), top + (scale * p.Y)))]);
    }
}
