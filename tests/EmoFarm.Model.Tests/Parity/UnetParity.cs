using System.Globalization;
using System.Text.Json;
using EmoFarm.Model.Unet;
using EmoFarm.Model.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests.Parity;

/// <summary>
/// Compares our UNet2D (ReferenceNet with its output head) and AutoencoderKL with diffusers on the files written
/// by tests/parity/unet_vae_parity.py. Prints and returns the max abs and max relative (to max |reference|) errors.
/// </summary>
public static class UnetParity
{
    public static IReadOnlyList<ParityError> Run(string dir, string device = "cpu", TextWriter? log = null)
    {
        log ??= Console.Out;
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "config.json")));
        var tiny = config.RootElement.GetProperty("preset").GetString() == "tiny";
        var unetConfig = tiny ? UnetConfig.Tiny : UnetConfig.Sd15;
        if (config.RootElement.TryGetProperty("unet", out var custom) && custom.ValueKind == JsonValueKind.Object)
        {
            unetConfig = unetConfig with
            {
                BlockOutChannels = custom.GetProperty("block_out_channels").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
                LayersPerBlock = custom.GetProperty("layers_per_block").GetInt32(),
                AttentionHeads = custom.GetProperty("heads").GetInt64(),
                CrossAttentionDim = custom.GetProperty("cross_attention_dim").GetInt64(),
                NormGroups = custom.GetProperty("norm_groups").GetInt64(),
            };
        }

        var target = new Device(device);
        var io = ParitySafetensors.Read(Path.Combine(dir, "io.safetensors"));
        var errors = new List<ParityError>();

        using (var unet = new ReferenceNet(unetConfig, outputHead: true))
        {
            ParitySafetensors.LoadInto(unet, ParitySafetensors.Read(Path.Combine(dir, "unet.safetensors")));
            unet.eval();
            unet.to(target);
            using var _ = inference_mode();
            using var scope = NewDisposeScope();
            var output = unet.Predict(io["unet_sample"].to(target), io["unet_timestep"].to(target), io["unet_context"].to(target));
            errors.Add(Compare("unet_out", output, io["unet_out"]));
        }

        using (var vae = new AutoencoderKL(tiny ? VaeConfig.Tiny : VaeConfig.Sd15))
        {
            ParitySafetensors.LoadInto(vae, ParitySafetensors.Read(Path.Combine(dir, "vae.safetensors")));
            vae.eval();
            vae.to(target);
            using var _ = inference_mode();
            using var scope = NewDisposeScope();
            var latents = vae.Encode(io["vae_images"].to(target));
            errors.Add(Compare("vae_latents", latents, io["vae_latents"]));
            // Decode the reference latents so the decoder is judged on its own.
            errors.Add(Compare("vae_decoded", vae.Decode(io["vae_latents"].to(target), 1), io["vae_decoded"]));
        }

        foreach (var e in errors)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e.Name}: max abs {e.MaxAbs:E3}, max rel {e.MaxRel:E3}"));
        }

        foreach (var t in io.Values)
        {
            t.Dispose();
        }

        return errors;
    }

    private static ParityError Compare(string name, Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var a = actual.to(ScalarType.Float32).cpu();
        var diff = (a - expected).abs().max().item<float>();
        var scale = Math.Max(expected.abs().max().item<float>(), 1e-12f);
        return new ParityError(name, diff, diff / scale);
    }
}
