using EmoFarm.Model.Audio;
using EmoFarm.Model.Conditioning;
using EmoFarm.Model.Unet;
using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Model.Loading;

/// <summary>
/// The trained parts of the model under the names Hallo's <c>net.pth</c> uses, so its state dict loads
/// key-for-key. EMO's speed embedding is an extra part that Hallo checkpoints lack (allowed missing).
/// </summary>
public sealed class HalloNet : nn.Module
{
    public const string SpeedPrefix = "speed_embedding.";

    private readonly ReferenceNet reference_unet;
    private readonly EmoUnet3D denoising_unet;
    private readonly FaceLocator face_locator;
    private readonly ImageProjection imageproj;
    private readonly AudioProjection audioproj;
    private readonly SpeedEmbedding speed_embedding;

    public HalloNet(EmoModelConfig config) : base(nameof(HalloNet))
    {
        ArgumentNullException.ThrowIfNull(config);
        reference_unet = new ReferenceNet(config.Unet);
        denoising_unet = new EmoUnet3D(config.Unet);
        face_locator = new FaceLocator(config.Unet.BlockOutChannels[0], config.FaceLocatorChannels);
        imageproj = new ImageProjection(config.FaceEmbeddingDim, config.Unet.CrossAttentionDim, 4);
        audioproj = new AudioProjection(config.AudioProjection);
        speed_embedding = new SpeedEmbedding(config.Unet.BlockOutChannels);
        RegisterComponents();
    }

    public ReferenceNet Reference => reference_unet;
    public EmoUnet3D Denoiser => denoising_unet;
    public FaceLocator FaceLocator => face_locator;
    public ImageProjection ImageProjection => imageproj;
    public AudioProjection AudioProjection => audioproj;
    public SpeedEmbedding Speed => speed_embedding;
}
