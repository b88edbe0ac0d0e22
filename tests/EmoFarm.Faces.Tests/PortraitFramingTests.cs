using EmoFarm.Faces.Portrait;
using Xunit;

namespace EmoFarm.Faces.Tests;

public sealed class PortraitFramingTests
{
    [Fact]
    public void Frame_FaceInsideALargeImage_CentresTheExpandedFace()
    {
        var face = new FaceBox(900, 500, 200, 250);
        var crop = PortraitFraming.Frame(face, 1920, 1280, 512, 512, expand: 1.8);

        Assert.Equal(250 * 1.8, crop.Source.Width, 6);
        Assert.Equal(crop.Source.Width, crop.Source.Height, 6);
        Assert.Equal(face.CentreX, crop.Source.CentreX, 6);
        Assert.Equal(face.CentreY, crop.Source.CentreY, 6);
        Assert.False(crop.Shrunk);
        // In the 512² output the face is centred and its longer side is 1/1.8 of the frame.
        Assert.Equal(256, crop.FaceInOutput.CentreX, 0);
        Assert.Equal(512 / 1.8, crop.FaceInOutput.Height, 0);
    }

    [Fact]
    public void Frame_FaceNearTheBorder_MovesTheCropInsideInsteadOfPadding()
    {
        var crop = PortraitFraming.Frame(new FaceBox(10, 20, 100, 100), 1000, 800, 512, 512, expand: 2);

        Assert.Equal(0, crop.Source.X, 6);
        Assert.Equal(0, crop.Source.Y, 6);
        Assert.Equal(200, crop.Source.Width, 6);
        Assert.True(crop.FaceInOutput.X > 0 && crop.FaceInOutput.Right < 512, crop.FaceInOutput.ToString());
    }

    [Fact]
    public void Frame_ImageSmallerThanTheCrop_ShrinksToFitAndSaysSo()
    {
        var crop = PortraitFraming.Frame(new FaceBox(100, 100, 200, 200), 400, 300, 512, 512, expand: 2);

        Assert.True(crop.Shrunk);
        Assert.Equal(300, crop.Source.Height, 6);
        Assert.True(crop.Source.X >= 0 && crop.Source.Right <= 400 && crop.Source.Bottom <= 300, crop.Source.ToString());
    }

    [Fact]
    public void Frame_WideOutput_KeepsTheOutputAspect()
    {
        var crop = PortraitFraming.Frame(new FaceBox(500, 400, 100, 120), 2000, 2000, 768, 512, expand: 2);

        Assert.Equal(768.0 / 512, crop.Source.Width / crop.Source.Height, 6);
        Assert.Equal(240, crop.Source.Height, 6);
    }

    [Fact]
    public void Frame_ExpandBelowOne_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PortraitFraming.Frame(new FaceBox(0, 0, 10, 10), 100, 100, 64, 64, 0.5));
}
