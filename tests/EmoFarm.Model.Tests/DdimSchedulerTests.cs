using EmoFarm.Model.Sampling;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

public sealed class DdimSchedulerTests
{
    [Fact]
    public void SetTimesteps_Hallo40Steps_CountsDownFrom999By25To24()
    {
        var scheduler = new DdimScheduler(DdimSchedulerConfig.Hallo);

        var timesteps = scheduler.SetTimesteps(40);

        Assert.Equal(40, timesteps.Count);
        Assert.Equal(999, timesteps[0]);
        Assert.Equal(974, timesteps[1]);
        Assert.Equal(24, timesteps[^1]);
        Assert.All(timesteps.Zip(timesteps.Skip(1)), p => Assert.Equal(25, p.First - p.Second));
    }

    [Fact]
    public void SetTimesteps_StableDiffusion50Steps_LeadingWithOffsetEndsAt1()
    {
        var scheduler = new DdimScheduler(DdimSchedulerConfig.StableDiffusion);

        var timesteps = scheduler.SetTimesteps(50);

        Assert.Equal(981, timesteps[0]);
        Assert.Equal(1, timesteps[^1]);
        Assert.All(timesteps.Zip(timesteps.Skip(1)), p => Assert.Equal(20, p.First - p.Second));
    }

    [Fact]
    public void SetTimesteps_TrailingNonDividingCount_RoundsLikeNumpy()
    {
        var scheduler = new DdimScheduler(DdimSchedulerConfig.Hallo);

        // np.round(np.arange(1000, 0, -1000/3)) - 1 = [999, 666, 332] (666.67 -> 667, 333.33 -> 333)
        var timesteps = scheduler.SetTimesteps(3);

        Assert.Equal([999, 666, 332], timesteps);
    }

    [Fact]
    public void AlphasCumprod_Hallo_StartsAtOneMinusBetaStartAndEndsAtZeroSnr()
    {
        var scheduler = new DdimScheduler(DdimSchedulerConfig.Hallo);

        Assert.Equal(1 - 0.00085, scheduler.AlphasCumprod[0], 1e-6);
        Assert.Equal(0f, scheduler.AlphasCumprod[999]);
        Assert.True(scheduler.AlphasCumprod[998] > 0);
        Assert.Equal(1f, scheduler.FinalAlphaCumprod);
    }

    [Fact]
    public void AlphasCumprod_StableDiffusion_MatchesDoublePrecisionProduct()
    {
        var scheduler = new DdimScheduler(DdimSchedulerConfig.StableDiffusion);
        var product = 1.0;
        var expected = new double[1000];
        for (var i = 0; i < 1000; i++)
        {
            var root = Math.Sqrt(0.00085) + ((Math.Sqrt(0.012) - Math.Sqrt(0.00085)) * i / 999);
            product *= 1 - (root * root);
            expected[i] = product;
        }

        Assert.Equal(expected[0], scheduler.AlphasCumprod[0], 1e-6);
        Assert.Equal(expected[999], scheduler.AlphasCumprod[999], 1e-5);
        Assert.Equal(scheduler.AlphasCumprod[0], scheduler.FinalAlphaCumprod);
    }

    [Fact]
    public void Step_HalloFirstStepAtZeroSnr_PredictsOriginalAsMinusV()
    {
        // At t = 999 alpha_bar = 0, so x0 = -v and eps = x_t; the step gives sqrt(a974) * (-v) + sqrt(1 - a974) * x_t.
        var scheduler = new DdimScheduler(DdimSchedulerConfig.Hallo);
        scheduler.SetTimesteps(40);
        using var sample = torch.tensor(new[] { 1f, -2f, 0.5f });
        using var v = torch.tensor(new[] { 0.25f, 1f, -3f });

        using var prev = scheduler.Step(v, 999, sample);

        var a = scheduler.AlphasCumprod[974];
        var expected = new[] { 0, 1, 2 }.Select(i => (MathF.Sqrt(a) * -v[i].item<float>()) + (MathF.Sqrt(1 - a) * sample[i].item<float>())).ToArray();
        using var expectedTensor = torch.tensor(expected);
        TensorAssert.Close(expectedTensor, prev, 1e-6);
    }

    [Fact]
    public void Step_EpsilonLastStepWithTrueNoise_RecoversOriginal()
    {
        var config = DdimSchedulerConfig.StableDiffusion with { SetAlphaToOne = true };
        var scheduler = new DdimScheduler(config);
        var timesteps = scheduler.SetTimesteps(50);
        using var x0 = torch.randn(2, 4, 8, 8, generator: new Generator(11));
        using var noise = torch.randn(2, 4, 8, 8, generator: new Generator(12));
        using var noisy = scheduler.AddNoise(x0, noise, timesteps[^1]);

        using var result = scheduler.Step(noise, timesteps[^1], noisy);

        TensorAssert.Close(x0, result, 1e-5);
    }

    [Fact]
    public void Step_EpsilonAndEquivalentVelocity_GiveSameUpdate()
    {
        var eps = new DdimScheduler(DdimSchedulerConfig.StableDiffusion);
        var vel = new DdimScheduler(DdimSchedulerConfig.StableDiffusion with { PredictionType = PredictionType.VPrediction });
        eps.SetTimesteps(25);
        vel.SetTimesteps(25);
        using var x0 = torch.randn(1, 4, 8, 8, generator: new Generator(21));
        using var noise = torch.randn(1, 4, 8, 8, generator: new Generator(22));

        foreach (var t in new[] { eps.Timesteps[0], eps.Timesteps[12], eps.Timesteps[^1] })
        {
            using var xt = eps.AddNoise(x0, noise, t);
            using var v = vel.GetVelocity(x0, noise, t);

            using var fromEps = eps.Step(noise, t, xt);
            using var fromV = vel.Step(v, t, xt);

            TensorAssert.Close(fromEps, fromV, 2e-5);
        }
    }

    [Fact]
    public void Step_BeforeSetTimesteps_Throws()
    {
        var scheduler = new DdimScheduler(DdimSchedulerConfig.Hallo);
        using var x = torch.zeros(1);

        Assert.Throws<InvalidOperationException>(() => scheduler.Step(x, 999, x));
    }

    [Fact]
    public void Step_RepeatedCalls_LiveTensorCountStaysFlat()
    {
        var scheduler = new DdimScheduler(DdimSchedulerConfig.Hallo);
        scheduler.SetTimesteps(40);
        using var x = torch.randn(1, 4, 8, 8, generator: new Generator(31));
        scheduler.Step(x, 999, x).Dispose();
        var baseline = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        foreach (var t in scheduler.Timesteps)
        {
            scheduler.Step(x, t, x).Dispose();
        }

        Assert.Equal(baseline, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
