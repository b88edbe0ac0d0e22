using System.Diagnostics;
using EmoFarm.Model.Conditioning;
using EmoFarm.Model.Unet;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

[Collection(GlobalRngGroup.Name)]
public sealed class UnetShapeTests(ITestOutputHelper output)
{
    [Fact]
    public void ReferenceNet_TinyWithMotionFrames_ReturnsOneLayerPerSelfAttentionInOrder()
    {
        using var rig = TinyRig.Create();
        using var scope = NewDisposeScope();
        using var features = rig.RunReference(TinyRig.ReferenceLatents(1), rig.Tokens(2));

        // Tiny: 2 cross-attention down levels x 1 layer, the mid block, 2 cross-attention up levels x 2 layers.
        Assert.Equal(7, features.Layers.Count);
        Assert.Equal(TinyRig.MotionFrames, features.MotionFrames);
        var rows = TinyRig.Batch * (1 + TinyRig.MotionFrames);
        const long S = TinyRig.Size;
        long[][] expected =
        [
            [rows, S * S, 32], [rows, S * S / 4, 64], [rows, S * S / 16, 64],
            [rows, S * S / 4, 64], [rows, S * S / 4, 64], [rows, S * S, 32], [rows, S * S, 32],
        ];
        Assert.Equal(expected, features.Layers.Select(l => l.shape).ToArray());
    }

    [Fact]
    public void EmoUnet3D_TinyClipWithReferenceAudioFaceAndMotion_PredictsSampleShape()
    {
        using var rig = TinyRig.Create(perturb: true);
        using var scope = NewDisposeScope();
        var tokens = rig.Tokens(2);
        using var features = rig.RunReference(TinyRig.ReferenceLatents(1), tokens);
        var inputs = rig.Inputs(3, tokens, features);

        var watch = Stopwatch.StartNew();
        var prediction = rig.Unet.forward(inputs);
        output.WriteLine($"tiny EmoUnet3D forward (B=2, F=2, {TinyRig.Size}x{TinyRig.Size}): {watch.ElapsedMilliseconds} ms");

        Assert.Equal(inputs.Sample.shape, prediction.shape);
        Assert.True(prediction.isfinite().all().item<bool>());
        Assert.True(prediction.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void EmoUnet3D_SameSeed_GivesIdenticalOutput()
    {
        using var scope = NewDisposeScope();
        var first = Predict(seed: 7);
        var second = Predict(seed: 7);
        var other = Predict(seed: 8);

        Assert.True(first.allclose(second, rtol: 0, atol: 0));
        Assert.False(first.allclose(other));
    }

    [Fact]
    public void EmoUnet3D_UnconditionalHalf_IgnoresReferenceImageButConditionalHalfUsesIt()
    {
        using var rig = TinyRig.Create(perturb: true);
        using var scope = NewDisposeScope();
        var (tokens, original, altered) = Sample0ReferenceChanged(rig);
        using var owned = original;
        using var ownedAltered = altered;
        rig.Unet.HalloInferenceCompat = false; // each row reads its own sample's reference (see the tiled case below)

        var baseline = rig.Unet.forward(rig.Inputs(3, tokens, original, unconditional: 1));
        var uncond = rig.Unet.forward(rig.Inputs(3, tokens, altered, unconditional: 1));
        var cond = rig.Unet.forward(rig.Inputs(3, tokens, altered, unconditional: 0));
        var condBaseline = rig.Unet.forward(rig.Inputs(3, tokens, original, unconditional: 0));

        Assert.True(baseline.allclose(uncond, rtol: 0, atol: 1e-6));
        Assert.False(condBaseline[0].allclose(cond[0], rtol: 0, atol: 1e-4));
        Assert.True(condBaseline[1].allclose(cond[1], rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void EmoUnet3D_HalloCompat_ConditionalRowsReadTheReferenceTiledAcrossSamples()
    {
        using var rig = TinyRig.Create(perturb: true);
        using var scope = NewDisposeScope();
        var (tokens, original, altered) = Sample0ReferenceChanged(rig);
        using var owned = original;
        using var ownedAltered = altered;

        var baseline = rig.Unet.forward(rig.Inputs(3, tokens, original, unconditional: 1));
        var uncond = rig.Unet.forward(rig.Inputs(3, tokens, altered, unconditional: 1));

        // Sample 0 attends to itself only; sample 1's even frames read sample 0's reference, as Hallo's repeat does.
        Assert.True(baseline[0].allclose(uncond[0], rtol: 0, atol: 1e-6));
        Assert.False(baseline[1].allclose(uncond[1], rtol: 0, atol: 1e-4));
    }

    /// <summary>Reference features of the same inputs, and of the inputs with sample 0's reference image replaced.</summary>
    private static (Tensor Tokens, ReferenceFeatures Original, ReferenceFeatures Altered) Sample0ReferenceChanged(TinyRig rig)
    {
        var tokens = rig.Tokens(2);
        var latents = TinyRig.ReferenceLatents(1);
        var changed = latents.clone();
        changed[0, TensorIndex.Colon, 0] = randn(4, TinyRig.Size, TinyRig.Size);
        return (tokens, rig.RunReference(latents, tokens), rig.RunReference(changed, tokens));
    }

    [Fact]
    public void EmoUnet3D_HalloCompat_MotionFramesReachTemporalModules()
    {
        using var rig = TinyRig.Create(perturb: true);
        using var scope = NewDisposeScope();
        var tokens = rig.Tokens(2);
        var latents = TinyRig.ReferenceLatents(1);
        var moved = latents.clone();
        moved[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(1, null)] = randn([TinyRig.Batch, 4, TinyRig.MotionFrames, TinyRig.Size, TinyRig.Size]);
        using var original = rig.RunReference(latents, tokens);
        using var altered = rig.RunReference(moved, tokens);

        var a = rig.Unet.forward(rig.Inputs(3, tokens, original));
        var b = rig.Unet.forward(rig.Inputs(3, tokens, altered));
        rig.Unet.HalloInferenceCompat = false;
        var eval = rig.Unet.forward(rig.Inputs(3, tokens, original));

        Assert.False(a.allclose(b, rtol: 0, atol: 1e-4));
        Assert.False(a.allclose(eval, rtol: 0, atol: 1e-4));
    }

    [Fact]
    public void FreshModules_GroupNormsInitialisedAndOutputFinite()
    {
        using var rig = TinyRig.Create();
        using var scope = NewDisposeScope();
        var norms = new nn.Module[] { rig.Reference, rig.Unet }
            .SelectMany(m => m.modules()).OfType<GroupNorm>().ToList();
        Assert.NotEmpty(norms);
        Assert.All(norms, n =>
        {
            Assert.True(n.weight!.eq(1).all().item<bool>());
            Assert.True(n.bias!.eq(0).all().item<bool>());
        });

        var tokens = rig.Tokens(2);
        using var features = rig.RunReference(TinyRig.ReferenceLatents(1), tokens);
        Assert.All(features.Layers, l => Assert.True(l.isfinite().all().item<bool>()));
        Assert.True(rig.Unet.forward(rig.Inputs(3, tokens, features)).isfinite().all().item<bool>());
    }

    [Fact]
    public void EmoUnet3D_RepeatedForwards_LiveTensorCountStaysFlat()
    {
        using var rig = TinyRig.Create(perturb: true);
        using var tokens = rig.Tokens(2);
        using var latents = TinyRig.ReferenceLatents(1);
        var counts = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            using var features = rig.RunReference(latents, tokens);
            var inputs = rig.Inputs(3, tokens, features);
            using (var prediction = rig.Unet.forward(inputs))
            {
                Assert.Equal(5, prediction.dim());
            }

            inputs.Sample.Dispose();
            inputs.Timestep.Dispose();
            inputs.AudioTokens!.Dispose();
            inputs.FaceLocatorOut!.Dispose();
            foreach (var m in inputs.AudioMasks!.Full)
            {
                m.Dispose();
            }

            counts.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }

        Assert.Equal(counts[1], counts[^1]);
    }

    [Fact]
    public void EmoUnet3D_BFloat16Modules_RunWithoutExplicitCasts()
    {
        using var rig = TinyRig.Create(perturb: true);
        rig.Reference.to(ScalarType.BFloat16);
        rig.Unet.to(ScalarType.BFloat16);
        using var scope = NewDisposeScope();
        var tokens = rig.Tokens(2).to(ScalarType.BFloat16);
        using var features = rig.RunReference(TinyRig.ReferenceLatents(1).to(ScalarType.BFloat16), tokens);
        var inputs = rig.Inputs(3, tokens, features);

        var prediction = rig.Unet.forward(inputs with { Sample = inputs.Sample.to(ScalarType.BFloat16) });

        Assert.Equal(ScalarType.BFloat16, prediction.dtype);
        Assert.True(prediction.isfinite().all().item<bool>());
    }

    [Fact]
    public void EmoUnet3D_SpeedFeatures_ReachTheTemporalModules()
    {
        using var rig = TinyRig.Create(perturb: true);
        using var speed = new SpeedEmbedding(UnetConfig.Tiny.BlockOutChannels);
        TinyRig.Perturb(speed);
        using var scope = NewDisposeScope();
        var tokens = rig.Tokens(2);
        using var features = rig.RunReference(TinyRig.ReferenceLatents(1), tokens);
        var inputs = rig.Inputs(3, tokens, features);

        var without = rig.Unet.forward(inputs);
        var with = rig.Unet.forward(inputs with { Speed = speed.forward(rand([TinyRig.Batch, TinyRig.Frames])) });

        Assert.False(with.allclose(without, rtol: 0, atol: 1e-4));
    }

    private static Tensor Predict(int seed)
    {
        using var rig = TinyRig.Create(seed, perturb: true);
        using var scope = NewDisposeScope();
        var tokens = rig.Tokens(2);
        using var features = rig.RunReference(TinyRig.ReferenceLatents(1), tokens);
        return rig.Unet.forward(rig.Inputs(3, tokens, features)).MoveToOuterDisposeScope();
    }
}
