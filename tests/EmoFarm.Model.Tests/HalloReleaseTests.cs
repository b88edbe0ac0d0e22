using EmoFarm.Model.Checkpoints;
using EmoFarm.Model.Loading;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

[Collection(GlobalRngGroup.Name)]
public sealed class HalloReleaseTests
{
    [Fact]
    public void Load_HalloReleaseFolderAsShipped_EveryWeightEqualsItsSource()
    {
        using var dir = new TempDirectory();
        manual_seed(31);
        using var source = new ModelComponents(EmoModelConfig.Tiny);
        HalloReleaseFolder.Write(dir.Path, source, preset: "tiny");

        using var model = EmoModel.Load(new ModelOptions { Weights = dir.Path, Device = "cpu", Dtype = "float32" }, NullLogger.Instance);

        Assert.Equal("tiny", model.Config.Name);
        Assert.False(model.RandomWeights);
        var net = model.Parts.Net.state_dict();
        foreach (var (name, tensor) in source.Net.state_dict().Where(kv => !kv.Key.StartsWith(HalloNet.SpeedPrefix, StringComparison.Ordinal)))
        {
            // net.pth is fp16, as Hallo saves it: the loaded fp32 weight is the fp16 value, widened.
            using var stored = tensor.is_floating_point() ? tensor.to(ScalarType.Float16).to(tensor.dtype) : tensor.alias();
            TensorAssert.Identical(stored, net[name]);
        }

        AssertSame(source.Vae, model.Parts.Vae);
        AssertSame(source.AudioEncoder, model.Parts.AudioEncoder);
    }

    [Fact]
    public void Load_HalloReleaseDryRun_ReportsFileKindsIgnoredCtcHeadAndOtherFolders()
    {
        using var dir = new TempDirectory();
        manual_seed(32);
        using (var source = new ModelComponents(EmoModelConfig.Tiny))
        {
            HalloReleaseFolder.Write(dir.Path, source, preset: "tiny");
        }

        var manifest = ModelManifest.Read(dir.Path);
        using var parts = ModelComponents.OnMeta(manifest.ToConfig());
        var reports = parts.Load(dir.Path, manifest, dryRun: true);

        Assert.True(manifest.IsHalloRelease);
        Assert.Equal(
            [("net", HalloReleaseFolder.NetFile, "torch.save zip"), ("vae", HalloReleaseFolder.VaeFile, "safetensors"), ("audio_encoder", HalloReleaseFolder.AudioFile, "safetensors")],
            reports.Select(r => (r.Component, r.File, r.Format)));
        Assert.All(reports, r => Assert.True(r.Report.IsComplete, r.Report.Describe()));
        Assert.Equal(["lm_head.bias", "lm_head.weight"], reports[2].Report.Ignored);
        Assert.Empty(reports[0].Report.Ignored);
        Assert.All(reports[0].Report.AllowedMissing, k => Assert.StartsWith(HalloNet.SpeedPrefix, k, StringComparison.Ordinal));
        Assert.Equal(["face_analysis", "audio_separator", "motion_module"], HalloRelease.OthersPresent(dir.Path).Select(o => o.Folder));
    }

    [Fact]
    public void Load_HalloReleaseWithStrayAudioKey_RefusesNamingIt()
    {
        using var dir = new TempDirectory();
        manual_seed(33);
        using var stray = zeros(4);
        using (var source = new ModelComponents(EmoModelConfig.Tiny))
        {
            HalloReleaseFolder.Write(dir.Path, source, preset: "tiny", ("wav2vec2.masked_lm.weight", stray));
        }

        var ex = Assert.Throws<CheckpointMismatchException>(
            () => EmoModel.Load(new ModelOptions { Weights = dir.Path, Device = "cpu", Dtype = "float32" }, NullLogger.Instance));

        Assert.Contains("[audio_encoder: " + HalloReleaseFolder.AudioFile + "]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("wav2vec2.masked_lm.weight", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("lm_head", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HalloReleaseWithoutModelJson_IsSd15AndPrefersSafetensorsOverPickles()
    {
        using var dir = new TempDirectory();
        foreach (var file in new[]
        {
            "hallo/net.pth", "hallo/net.safetensors",
            "sd-vae-ft-mse/diffusion_pytorch_model.bin",
            "wav2vec/wav2vec2-base-960h/pytorch_model.bin", "wav2vec/wav2vec2-base-960h/model.safetensors",
        })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(dir.File(file))!);
            File.WriteAllBytes(dir.File(file), []);
        }

        var manifest = ModelManifest.Read(dir.Path);

        Assert.True(manifest.IsHalloRelease);
        Assert.Equal("sd15", manifest.Config);
        Assert.Equal("hallo/net.safetensors", manifest.Net);
        Assert.Equal("sd-vae-ft-mse/diffusion_pytorch_model.bin", manifest.Vae);
        Assert.Equal("wav2vec/wav2vec2-base-960h/model.safetensors", manifest.AudioEncoder);
    }

    [Fact]
    public void Read_HalloReleaseWithModelJson_KeepsItsPresetFramesAndNamedFiles()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("hallo"));
        File.WriteAllBytes(dir.File("hallo/net.pth"), []);
        File.WriteAllText(dir.File(ModelManifest.FileName), """{"config": "hallo-tiny", "clip_frames": 12, "vae": "my-vae.safetensors"}""");

        var manifest = ModelManifest.Read(dir.Path);

        Assert.Equal(("hallo-tiny", 12, "my-vae.safetensors"), (manifest.Config, manifest.ToConfig().ClipFrames, manifest.Vae));
        Assert.Equal("hallo/net.pth", manifest.Net);
        // Neither audio file exists: the first candidate is named, so the load error says which file it wants.
        Assert.Equal("wav2vec/wav2vec2-base-960h/model.safetensors", manifest.AudioEncoder);
    }

    [Fact]
    public void Load_EmoFarmLayout_StillLoadsAsBefore()
    {
        using var dir = new TempDirectory();
        RandomCheckpoint.Write(dir.Path, "tiny", seed: 34);

        var manifest = ModelManifest.Read(dir.Path);
        using var model = EmoModel.Load(new ModelOptions { Weights = dir.Path, Device = "cpu", Dtype = "float32" }, NullLogger.Instance);

        Assert.False(manifest.IsHalloRelease);
        Assert.Equal(("net.safetensors", "vae.safetensors", "wav2vec2.safetensors"), (manifest.Net, manifest.Vae, manifest.AudioEncoder));
        Assert.Equal("tiny", model.Config.Name);
    }

    [Fact]
    public void Read_FolderWithNeitherLayout_NamesBoth()
    {
        using var dir = new TempDirectory();

        var ex = Assert.Throws<FileNotFoundException>(() => ModelManifest.Read(dir.Path));

        Assert.Contains("no model.json and no hallo/net.pth", ex.Message, StringComparison.Ordinal);
    }

    private static void AssertSame(nn.Module expected, nn.Module actual)
    {
        var loaded = actual.state_dict();
        foreach (var (name, tensor) in expected.state_dict())
        {
            TensorAssert.Identical(tensor, loaded[name]);
        }
    }
}
