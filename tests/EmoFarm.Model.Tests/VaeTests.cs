using EmoFarm.Model.Vae;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

public sealed class VaeTests
{
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
