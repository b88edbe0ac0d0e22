using EmoFarm.Model.Sampling;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

public sealed class GuidanceTests
{
    [Fact]
    public void Combine_ScaleOne_ReturnsConditioned()
    {
        using var uncond = torch.randn(2, 3, generator: new Generator(1));
        using var cond = torch.randn(2, 3, generator: new Generator(2));

        using var result = Guidance.Combine(uncond, cond, 1.0);

        TensorAssert.Close(cond, result, 1e-6);
    }

    [Fact]
    public void Combine_Scale3_ExtrapolatesPastConditioned()
    {
        using var uncond = torch.tensor(new[] { 1f, 0f });
        using var cond = torch.tensor(new[] { 2f, -1f });

        using var result = Guidance.Combine(uncond, cond, 3.0);

        using var expected = torch.tensor(new[] { 4f, -3f });
        TensorAssert.Close(expected, result, 1e-6);
    }

    [Fact]
    public void Combine_TwoScalesEqual_MatchesSingleScaleOnFull()
    {
        using var uncond = torch.randn(4, generator: new Generator(3));
        using var reference = torch.randn(4, generator: new Generator(4));
        using var full = torch.randn(4, generator: new Generator(5));

        using var two = Guidance.Combine(uncond, reference, full, 3.5, 3.5);
        using var one = Guidance.Combine(uncond, full, 3.5);

        TensorAssert.Close(one, two, 1e-5);
    }

    [Fact]
    public void CombineBatched_ThreeGroups_SplitsAlongBatch()
    {
        using var uncond = torch.randn(2, 3, generator: new Generator(6));
        using var reference = torch.randn(2, 3, generator: new Generator(7));
        using var full = torch.randn(2, 3, generator: new Generator(8));
        using var batched = torch.cat([uncond, reference, full]);

        using var fromBatch = Guidance.CombineBatched(batched, 2.0, 4.0);
        using var direct = Guidance.Combine(uncond, reference, full, 2.0, 4.0);

        TensorAssert.Identical(direct, fromBatch);
    }

    [Fact]
    public void CombineBatched_OddBatch_Throws()
    {
        using var batched = torch.zeros(3, 2);

        Assert.Throws<ArgumentException>(() => Guidance.CombineBatched(batched, 3.5));
    }
}
