using EmoFarm.Model.Conditioning;
using EmoFarm.Model.Layers;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

public sealed class LayerTests
{
    [Theory]
    [InlineData(8, 2, 5, 7)]
    [InlineData(320, 8, 16, 77)]
    [InlineData(320, 8, 16, 16)]
    [InlineData(320, 8, 64, 77)]
    [InlineData(1280, 8, 4, 77)]
    public void Attention_MultiHead_MatchesExplicitSoftmaxAttention(int dim, int heads, int tokens, int contextTokens)
    {
        manual_seed(11);
        using var attention = new Attention(new AttentionShape(QueryDim: dim, Heads: heads, HeadDim: dim / heads, ContextDim: 6));
        using var scope = NewDisposeScope();
        var x = randn([3, tokens, dim]);
        var context = randn([3, contextTokens, 6]);
        var p = attention.state_dict();
        var d = dim / heads;

        var q = nn.functional.linear(x, p["to_q.weight"]).view(3, tokens, heads, d).transpose(1, 2);
        var k = nn.functional.linear(context, p["to_k.weight"]).view(3, contextTokens, heads, d).transpose(1, 2);
        var v = nn.functional.linear(context, p["to_v.weight"]).view(3, contextTokens, heads, d).transpose(1, 2);
        var weights = softmax(einsum("bhld,bhsd->bhls", q, k) / Math.Sqrt(d), -1);
        var o = einsum("bhls,bhsd->bhld", weights, v).transpose(1, 2).reshape(3, tokens, dim);
        var expected = nn.functional.linear(o, p["to_out.0.weight"], p["to_out.0.bias"]);

        var actual = attention.forward(x, context);
        var err = (actual - expected).abs().max().item<float>() / expected.abs().max().item<float>();
        Assert.True(err < 1e-5, $"relative error {err}");
    }

    [Fact]
    public void Sinusoidal_TimestepZero_IsCosOnesThenSinZeros()
    {
        using var scope = NewDisposeScope();
        var features = Timesteps.Sinusoidal(tensor(new long[] { 0, 0 }), 320);

        Assert.Equal([2L, 320], features.shape);
        Assert.True(features.narrow(1, 0, 160).eq(1).all().item<bool>());
        Assert.True(features.narrow(1, 160, 160).eq(0).all().item<bool>());
    }

    [Fact]
    public void Sinusoidal_FirstFrequency_IsTheRawTimestep()
    {
        using var scope = NewDisposeScope();
        var features = Timesteps.Sinusoidal(tensor(new long[] { 999 }), 320);

        Assert.Equal(Math.Cos(999), features[0, 0].item<float>(), 4);
        Assert.Equal(Math.Sin(999), features[0, 160].item<float>(), 4);
    }

    [Fact]
    public void FaceLocator_Fresh_DownscalesByEightAndOutputsZeros()
    {
        manual_seed(3);
        using var locator = FaceLocator.Hallo();
        using var scope = NewDisposeScope();

        var y = locator.forward(rand([1, 3, 64, 64]));

        Assert.Equal([1L, 320, 8, 8], y.shape);
        Assert.True(y.eq(0).all().item<bool>());
    }

    [Fact]
    public void ImageProjection_FaceEmbedding_BecomesFourNormalisedTokens()
    {
        manual_seed(3);
        using var projection = new ImageProjection();
        using var scope = NewDisposeScope();

        var tokens = projection.forward(randn([2, 512]));

        Assert.Equal([2L, 4, 768], tokens.shape);
        Assert.True(tokens.mean([-1]).abs().max().item<float>() < 1e-4);
    }

    [Fact]
    public void SpeedEmbedding_Fresh_GivesZeroFeaturesPerLevel()
    {
        manual_seed(3);
        using var speed = new SpeedEmbedding([32, 64, 64]);
        using var scope = NewDisposeScope();

        var levels = speed.forward(rand([2, 5]));

        Assert.Equal([[2L, 5, 32], [2L, 5, 64], [2L, 5, 64]], levels.Select(l => l.shape).ToArray());
        Assert.All(levels, l => Assert.True(l.eq(0).all().item<bool>()));
    }
}
