using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmoFarm.Model.Loading;

/// <summary>
/// <c>model.json</c>: which preset the checkpoint was trained at and which file holds each component. In Hallo's
/// <c>pretrained_models/</c> folder the file is optional and the files default to the release's layout
/// (<see cref="HalloRelease"/>); see docs/checkpoints.md.
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

    /// <summary>Whether the folder is Hallo's release (<c>hallo/net.pth</c> is there) rather than EmoFarm's layout.</summary>
    [JsonIgnore] public bool IsHalloRelease { get; init; }

    public static ModelManifest Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        var hallo = HalloRelease.IsRelease(folder);
        if (!File.Exists(path))
        {
            return hallo
                ? HalloRelease.Complete(folder, new ModelManifest(), json: null)
                : throw new FileNotFoundException(
                    $"no {FileName} and no {HalloRelease.NetPickle} in '{folder}': a model folder holds {FileName} and the files it names, "
                    + "or is Hallo's pretrained_models/ folder as downloaded (docs/checkpoints.md)", path);
        }

        var text = File.ReadAllText(path);
        var manifest = JsonSerializer.Deserialize<ModelManifest>(text) ?? throw new InvalidDataException($"{path} is empty");
        if (!hallo)
            return manifest;
        using var doc = JsonDocument.Parse(text);
        return HalloRelease.Complete(folder, manifest, doc.RootElement);
    }

    public EmoModelConfig ToConfig() => EmoModelConfig.Named(Config) with
    {
        ClipFrames = ClipFrames ?? EmoModelConfig.Named(Config).ClipFrames,
        MotionFrames = MotionFrames ?? EmoModelConfig.Named(Config).MotionFrames,
    };
}
