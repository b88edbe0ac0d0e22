using EmoFarm.Model.Audio;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

public sealed class AudioProjectionTests
{
    [Fact]
    public void Hallo_StateDict_EqualsHalloAudioprojKeysAndShapes()
    {
        var expected = HalloKeys.WithPrefix("audioproj.");
        using var projection = new AudioProjection(AudioProjectionConfig.Hallo);

        var actual = projection.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, shape) in expected)
        {
            Assert.Equal(shape, actual[name]);
        }
    }

    [Fact]
    public void Forward_TinyBatchedAndUnbatched_ReturnsTokensPerFrame()
    {
        using var projection = new AudioProjection(AudioProjectionConfig.Tiny);
        using var batched = torch.randn([2, 7, 5, 2, 32], generator: new Generator(7));

        using var tokens = projection.forward(batched);
        using var single = projection.forward(batched[0]);

        Assert.Equal([2L, 7L, 4L, 24L], tokens.shape);
        Assert.Equal([7L, 4L, 24L], single.shape);
        // Batched and single rows take different fp32 GEMM blockings: rounding differs by ~1e-7 of values up to ~10,
        // and the module's weights come from the shared generator, so a 1e-6 bound failed on some draws (1.07e-6).
        TensorAssert.Close(tokens[0], single, 1e-5);
    }

    [Fact]
    public void Forward_WrongWindow_ThrowsWithExpectedShape()
    {
        using var projection = new AudioProjection(AudioProjectionConfig.Tiny);
        using var wrong = torch.randn(7, 3, 2, 32);

        var ex = Assert.Throws<ArgumentException>(() => projection.forward(wrong));
        Assert.Contains("[B, F, 5, 2, 32]", ex.Message, StringComparison.Ordinal);
    }
}
