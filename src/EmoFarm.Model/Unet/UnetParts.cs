namespace EmoFarm.Model.Unet;

/// <summary>Which Hallo extras a UNet's blocks carry: none for the reference UNet, both for the denoising UNet.</summary>
public sealed record UnetParts(bool Audio, bool Motion)
{
    public static UnetParts Spatial { get; } = new(false, false);

    public static UnetParts Hallo3D { get; } = new(true, true);
}
