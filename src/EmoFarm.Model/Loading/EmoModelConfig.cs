using EmoFarm.Model.Audio;
using EmoFarm.Model.Sampling;
using EmoFarm.Model.Unet;
using EmoFarm.Model.Vae;

namespace EmoFarm.Model.Loading;

/// <summary>Every size of the model, as one preset. <see cref="Sd15"/> is Hallo's released layout.</summary>
public sealed record EmoModelConfig
{
    public required string Name { get; init; }
    public required UnetConfig Unet { get; init; }
    public required VaeConfig Vae { get; init; }
    public required Wav2Vec2Config AudioEncoder { get; init; }
    public required AudioProjectionConfig AudioProjection { get; init; }
    public required IReadOnlyList<long> FaceLocatorChannels { get; init; }
    /// <summary>Width of the face-identity embedding the image projection takes (512 for Hallo's ArcFace).</summary>
    public required long FaceEmbeddingDim { get; init; }
    public required DdimSchedulerConfig Scheduler { get; init; }
    /// <summary>EMO's f: frames generated per clip.</summary>
    public required int ClipFrames { get; init; }
    /// <summary>EMO's n: frames of the previous clip that condition the next.</summary>
    public required int MotionFrames { get; init; }

    public static EmoModelConfig Sd15 { get; } = new()
    {
        Name = "sd15",
        Unet = UnetConfig.Sd15,
        Vae = VaeConfig.Sd15,
        AudioEncoder = Wav2Vec2Config.Base,
        AudioProjection = AudioProjectionConfig.Hallo,
        FaceLocatorChannels = [16, 32, 64, 128],
        FaceEmbeddingDim = 512,
        Scheduler = DdimSchedulerConfig.Hallo,
        ClipFrames = 16,
        MotionFrames = 2,
    };

    /// <summary>The same code path at widths a 2-core CPU renders in seconds.</summary>
    public static EmoModelConfig Tiny { get; } = new()
    {
        Name = "tiny",
        Unet = UnetConfig.Tiny,
        Vae = VaeConfig.Tiny,
        AudioEncoder = Wav2Vec2Config.Tiny,
        AudioProjection = AudioProjectionConfig.Tiny,
        FaceLocatorChannels = [4, 8, 16, 32],
        FaceEmbeddingDim = 16,
        Scheduler = DdimSchedulerConfig.Hallo,
        ClipFrames = 8,
        MotionFrames = 2,
    };

    /// <summary>
    /// Hallo's architecture at small widths: four levels as Hallo's <c>from_pretrained_2d</c> hard-codes, with every
    /// block type. The Hallo parity fixture (tests/parity/hallo_reference.py) is a checkpoint of this preset.
    /// </summary>
    public static EmoModelConfig HalloTiny { get; } = Tiny with
    {
        Name = "hallo-tiny",
        Unet = UnetConfig.Tiny with { BlockOutChannels = [32, 32, 64, 64] },
        ClipFrames = 16,
    };

    public static EmoModelConfig Named(string name) => name.ToLowerInvariant() switch
    {
        "sd15" => Sd15,
        "tiny" => Tiny,
        "hallo-tiny" => HalloTiny,
        _ => throw new ArgumentException($"Model:Config '{name}' is not one of sd15, tiny, hallo-tiny", nameof(name)),
    };
}
