using EmoFarm.Model.Checkpoints;
using EmoFarm.Model.Vae;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

public sealed class VaeTests
{
    [Fact]
    public void Load_DeprecatedAttentionNames_LoadsThroughRenamesLikeDiffusers()
    {
        using var dir = new TempDirectory();
        using var source = Build();
        var path = dir.File("vae.safetensors");
        SafeTensorsWriter.Write(path, source.state_dict().Select(kv => (DeprecatedAttentionNames(kv.Key), kv.Value)));
        using var target = Build();
        using var file = new SafeTensorsFile(path);
        Assert.True(file.TryGetEntry("decoder.mid_block.attentions.0.proj_attn.weight", out _));

        var report = CheckpointLoader.Load(target, [file], renames: AutoencoderKL.CheckpointRenames);

        Assert.True(report.IsComplete, report.Describe());
        foreach (var (name, tensor) in source.state_dict())
        {
            TensorAssert.Identical(tensor, target.state_dict()[name]);
        }
    }

    /// <summary>The mid-block attention as diffusers before 0.15 saved it (sd-vae-ft-mse's upload).</summary>
    internal static string DeprecatedAttentionNames(string key) => key
        .Replace("attentions.0.to_q.", "attentions.0.query.", StringComparison.Ordinal)
        .Replace("attentions.0.to_k.", "attentions.0.key.", StringComparison.Ordinal)
        .Replace("attentions.0.to_v.", "attentions.0.value.", StringComparison.Ordinal)
        .Replace("attentions.0.to_out.0.", "attentions.0.proj_attn.", StringComparison.Ordinal);

    [Fact]
    public void Encode_TinyImages_ReturnsScaledLatentsAtOneEighth()
    {
        using var vae = Build();
        using var scope = NewDisposeScope();
        var images = rand([2, 3, 64, 64]) * 2 - 1;

        var latents = vae.Encode(images);

        Assert.Equal([2L, 4, 8, 8], latents.shape);
        Assert.True(latents.isfinite().all().item<bool>());
        Assert.True(vae.Encode(images).allclose(latents, rtol: 0, atol: 0));
    }

    [Fact]
    public void Decode_VideoLatents_ReturnsFramesOnAxisTwo()
    {
        using var vae = Build();
        using var scope = NewDisposeScope();
        var latents = randn([1, 4, 3, 8, 8]);

        var video = vae.Decode(latents, chunkFrames: 2);

        Assert.Equal([1L, 3, 3, 64, 64], video.shape);
        Assert.True(video.isfinite().all().item<bool>());
    }

    [Fact]
    public void Decode_InChunks_EqualsDecodingAllAtOnce()
    {
        using var vae = Build();
        using var scope = NewDisposeScope();
        var latents = randn([5, 4, 8, 8]);

        var chunked = vae.Decode(latents, chunkFrames: 2);
        var whole = vae.Decode(latents, chunkFrames: 5);

        Assert.True(chunked.allclose(whole, rtol: 1e-5, atol: 1e-5));
        var single = vae.Decode(latents.narrow(0, 3, 1), chunkFrames: 1);
        Assert.True(chunked.narrow(0, 3, 1).allclose(single, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Forward_ImageBatch_RoundTripsToImageShape()
    {
        using var vae = Build();
        using var scope = NewDisposeScope();
        var images = rand([2, 3, 64, 64]) * 2 - 1;

        var restored = vae.forward(images);

        Assert.Equal(images.shape, restored.shape);
        Assert.True(restored.isfinite().all().item<bool>());
    }

    private static AutoencoderKL Build()
    {
        manual_seed(5);
        var vae = new AutoencoderKL(VaeConfig.Tiny);
        vae.eval();
        return vae;
    }
}
