using EmoFarm.Model.Conditioning;
using EmoFarm.Model.Unet;
using EmoFarm.Model.Vae;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

/// <summary>
/// Full-size modules against Hallo's checkpoint names and shapes. They are built on the meta device (no storage),
/// so the 2.4 G parameters cost nothing; the default device is process-wide, hence the serial collection.
/// </summary>
[Collection(MetaDeviceGroup.Name)]
public sealed class UnetKeyTests
{
    [Fact]
    public void ReferenceNet_Sd15_MatchesReferenceUnetKeys() =>
        OnMeta(() => new ReferenceNet(UnetConfig.Sd15), "reference_unet.");

    [Fact]
    public void EmoUnet3D_Sd15_MatchesDenoisingUnetKeys() =>
        OnMeta(() => new EmoUnet3D(UnetConfig.Sd15), "denoising_unet.");

    [Fact]
    public void FaceLocator_Hallo_MatchesFaceLocatorKeys() =>
        OnMeta(FaceLocator.Hallo, "face_locator.");

    [Fact]
    public void ImageProjection_Default_MatchesImageProjKeys() =>
        OnMeta(() => new ImageProjection(), "imageproj.");

    [Fact]
    public void AutoencoderKL_Sd15_MatchesSdVaeFtMseKeys() =>
        OnMeta(() => new AutoencoderKL(VaeConfig.Sd15), "sd-vae-ft-mse:");

    [Fact]
    public void ReferenceNet_WithOutputHead_AddsOnlyConvNormOutAndConvOut()
    {
        set_default_device(META);
        try
        {
            using var withHead = new ReferenceNet(UnetConfig.Sd15, outputHead: true);
            var extra = withHead.state_dict().Keys.Except(HalloKeyList.Under("reference_unet.").Keys).Order().ToList();
            Assert.Equal(["conv_norm_out.bias", "conv_norm_out.weight", "conv_out.bias", "conv_out.weight"], extra);
        }
        finally
        {
            set_default_device(CPU);
        }
    }

    private static void OnMeta(Func<nn.Module> build, string prefix)
    {
        set_default_device(META);
        try
        {
            using var module = build();
            KeyAssert.StateDictMatches(module, prefix);
        }
        finally
        {
            set_default_device(CPU);
        }
    }
}
