using EmoFarm.Model.Checkpoints;
using EmoFarm.Model.Loading;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

/// <summary>
/// Writes a folder laid out like Hallo's <c>pretrained_models/</c>, with the file kinds it ships: <c>hallo/net.pth</c>
/// a torch.save archive in fp16 (as Hallo saves it), the VAE in diffusers' safetensors with pre-0.15 attention names,
/// wav2vec2 as Wav2Vec2ForCTC's safetensors (<c>wav2vec2.</c> prefix, weight_g / weight_v, a CTC head), plus the
/// folders EmoFarm does not read.
/// </summary>
internal static class HalloReleaseFolder
{
    public const string NetFile = "hallo/net.pth";
    public const string VaeFile = "sd-vae-ft-mse/diffusion_pytorch_model.safetensors";
    public const string AudioFile = "wav2vec/wav2vec2-base-960h/model.safetensors";

    /// <param name="folder">The folder to fill.</param>
    /// <param name="source">Weights to write; the net's EMO-only speed embedding is left out, as Hallo lacks it.</param>
    /// <param name="preset">Written to model.json; null writes none (a release as downloaded is sd15).</param>
    /// <param name="extraAudioKeys">Stray tensors to add to the wav2vec2 file.</param>
    public static void Write(string folder, ModelComponents source, string? preset, params (string Name, Tensor Tensor)[] extraAudioKeys)
    {
        foreach (var sub in new[] { "hallo", "sd-vae-ft-mse", "wav2vec/wav2vec2-base-960h", "face_analysis/models", "audio_separator", "motion_module" })
        {
            Directory.CreateDirectory(Path.Combine(folder, sub));
        }

        var half = source.Net.state_dict()
            .Where(kv => !kv.Key.StartsWith(HalloNet.SpeedPrefix, StringComparison.Ordinal))
            .Select(kv => (kv.Key, kv.Value.is_floating_point() ? kv.Value.to(ScalarType.Float16) : kv.Value.alias()))
            .ToList();
        TorchSaveWriter.Write(Path.Combine(folder, NetFile), half);
        half.ForEach(t => t.Item2.Dispose());

        SafeTensorsWriter.Write(Path.Combine(folder, VaeFile), source.Vae.state_dict().Select(kv => (VaeTests.DeprecatedAttentionNames(kv.Key), kv.Value)));
        File.WriteAllText(Path.Combine(folder, "sd-vae-ft-mse/config.json"), """{"_class_name": "AutoencoderKL"}""");

        using var head = zeros(32, source.Config.AudioEncoder.HiddenSize);
        using var headBias = zeros(32);
        var audio = source.AudioEncoder.state_dict()
            .Select(kv => (Wav2Vec2PrefixAndOldNames(kv.Key), kv.Value))
            .Append(("lm_head.weight", head))
            .Append(("lm_head.bias", headBias))
            .Concat(extraAudioKeys);
        SafeTensorsWriter.Write(Path.Combine(folder, AudioFile), audio);
        File.WriteAllText(Path.Combine(folder, "wav2vec/wav2vec2-base-960h/config.json"), """{"architectures": ["Wav2Vec2ForCTC"]}""");

        if (preset is not null)
        {
            File.WriteAllText(Path.Combine(folder, ModelManifest.FileName), $$"""{"config": "{{preset}}"}""");
        }
    }

    private static string Wav2Vec2PrefixAndOldNames(string key) => "wav2vec2." + key
        .Replace("parametrizations.weight.original0", "weight_g", StringComparison.Ordinal)
        .Replace("parametrizations.weight.original1", "weight_v", StringComparison.Ordinal);
}
