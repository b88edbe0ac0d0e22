using System.Text.Json;
using EmoFarm.Model.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Model.Loading;

/// <summary>
/// Writes a seeded random-weights model folder in the real layout (model.json and three safetensors files). It
/// exercises every loading path — a folder, a bucket, key and shape checks — without any released weights.
/// </summary>
public static class RandomCheckpoint
{
    public static void Write(string folder, string config, int seed)
    {
        Directory.CreateDirectory(folder);
        manual_seed(seed);
        using var parts = new ModelComponents(EmoModelConfig.Named(config));
        var manifest = new ModelManifest { Config = config };
        Save(parts.Net, Path.Combine(folder, manifest.Net));
        Save(parts.Vae, Path.Combine(folder, manifest.Vae));
        Save(parts.AudioEncoder, Path.Combine(folder, manifest.AudioEncoder));
        File.WriteAllText(Path.Combine(folder, ModelManifest.FileName), JsonSerializer.Serialize(manifest));
    }

    private static void Save(nn.Module module, string path) =>
        SafeTensorsWriter.Write(path, module.state_dict().Select(p => (p.Key, p.Value)), new Dictionary<string, string> { ["format"] = "pt" });
}
