using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmoFarm.Model.Rendering;

/// <summary>
/// <c>model.json</c>: which preset the checkpoint was trained at and which file holds each component.
/// Hallo's release maps onto it as net.pth (converted) → "net", sd-vae-ft-mse → "vae", wav2vec2-base-960h →
/// "audio_encoder"; see docs/checkpoints.md.
/// </summary>
public sealed record ModelManifest
{
    public const string FileName = "model.json";

    [JsonPropertyName("config")] public string Config { get; init; } = "sd15";
    [JsonPropertyName("net")] public string Net { get; init; } = "net.safetensors";
    [JsonPropertyName("vae")] public string Vae { get; init; } = "vae.safetensors";
    [JsonPropertyName("audio_encoder")] public string AudioEncoder { get; init; } = "wav2vec2.safetensors";
    [JsonPropertyName("clip_frames")] public int? ClipFrames { get; init; }
    [JsonPropertyName("motion_frames")] public int? MotionFrames { get; init; }

    public static ModelManifest Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"no {FileName} in '{folder}': a model folder holds {FileName} and the safetensors files it names (docs/checkpoints.md)", path);
        return JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty");
    }

    public EmoModelConfig ToConfig() => EmoModelConfig.Named(Config) with
    {
        ClipFrames = ClipFrames ?? EmoModelConfig.Named(Config).ClipFrames,
        MotionFrames = MotionFrames ?? EmoModelConfig.Named(Config).MotionFrames,
    };
}
