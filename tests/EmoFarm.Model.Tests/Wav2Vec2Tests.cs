using EmoFarm.Model.Audio;
using EmoFarm.Model.Checkpoints;
using EmoFarm.Model.Tests.Parity;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

public sealed class Wav2Vec2Tests
{
    [Fact]
    public void Base_StateDict_EqualsHalloWav2Vec2KeysAndShapes()
    {
        var expected = HalloKeys.WithPrefix("wav2vec2-base-960h:");
        using var model = new Wav2Vec2Model(Wav2Vec2Config.Base);

        var actual = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);

        Assert.Equal(211, expected.Count);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, shape) in expected)
        {
            Assert.True(shape.SequenceEqual(actual[name]), $"{name}: key list [{string.Join(",", shape)}], module [{string.Join(",", actual[name])}]");
        }
    }

    [Fact]
    public void Forward_Tiny_ReturnsEmbeddingPlusEveryLayerAt50Hz()
    {
        using var model = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        using var input = torch.randn(2, 16000, generator: new Generator(3));

        using var states = model.forward(input);

        // 16000 samples through kernels (10,3,3,3,3,2,2) / strides (5,2,2,2,2,2,2) give 49 frames.
        Assert.Equal([3L, 2L, 49L, 32L], states.shape);
        // TorchSharp's GroupNorm allocates its affine parameters uninitialised; the layer must set them.
        using var ones = torch.ones(16);
        using var zeros = torch.zeros(16);
        TensorAssert.Identical(ones, model.state_dict()["feature_extractor.conv_layers.0.layer_norm.weight"]);
        TensorAssert.Identical(zeros, model.state_dict()["feature_extractor.conv_layers.0.layer_norm.bias"]);
        using var finite = states.isfinite().all();
        Assert.True(finite.item<bool>());
    }

    [Fact]
    public void Load_OldWeightNormNames_LoadsThroughRenamesAndReproducesOutput()
    {
        using var dir = new TempDirectory();
        using var source = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        var path = dir.File("w2v.safetensors");
        SafeTensorsWriter.Write(path, source.state_dict().Select(kv => (
            kv.Key.Replace("parametrizations.weight.original0", "weight_g", StringComparison.Ordinal)
                  .Replace("parametrizations.weight.original1", "weight_v", StringComparison.Ordinal),
            kv.Value)));
        using var target = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        using var file = new SafeTensorsFile(path);
        Assert.True(file.TryGetEntry("encoder.pos_conv_embed.conv.weight_g", out _));

        var report = CheckpointLoader.Load(target, [file], renames: Wav2Vec2Model.CheckpointRenames);

        Assert.True(report.IsComplete, report.Describe());
        using var input = torch.randn(1, 8000, generator: new Generator(4));
        using var expected = source.forward(input);
        using var actual = target.forward(input);
        TensorAssert.Identical(expected, actual);
    }

    [Fact]
    public void Load_NewWeightNormNames_LoadsWithSameRenames()
    {
        using var dir = new TempDirectory();
        using var source = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        var path = dir.File("w2v.safetensors");
        SafeTensorsWriter.Write(path, source.state_dict().Select(kv => (kv.Key, kv.Value)));
        using var target = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        using var file = new SafeTensorsFile(path);

        var report = CheckpointLoader.Load(target, [file], renames: Wav2Vec2Model.CheckpointRenames);

        Assert.True(report.IsComplete, report.Describe());
    }

    [Fact]
    public void Load_Wav2Vec2ForCtcFile_StripsPrefixIgnoresOnlyTheCtcHeadAndReproducesOutput()
    {
        using var dir = new TempDirectory();
        using var source = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        var path = WriteCtcFile(dir, source);
        using var target = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        using var file = new SafeTensorsFile(path);

        var report = LoadCtc(target, file);

        Assert.True(report.IsComplete, report.Describe());
        Assert.Equal(["lm_head.bias", "lm_head.weight"], report.Ignored);
        Assert.Equal(source.state_dict().Count, report.Loaded);
        using var input = torch.randn(1, 8000, generator: new Generator(4));
        using var expected = source.forward(input);
        using var actual = target.forward(input);
        TensorAssert.Identical(expected, actual);
    }

    [Fact]
    public void Load_Wav2Vec2ForCtcFileWithStrayAndMissingKeys_StillFails()
    {
        using var dir = new TempDirectory();
        using var source = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        using var stray = torch.zeros(3);
        var path = WriteCtcFile(dir, source, drop: "encoder.layer_norm.bias", extra: [("wav2vec2.adapter.weight", stray), ("lm_head_2.weight", stray)]);
        using var target = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        using var file = new SafeTensorsFile(path);

        var report = LoadCtc(target, file);

        Assert.False(report.IsComplete);
        Assert.Equal(["encoder.layer_norm.bias"], report.Missing);
        Assert.Equal(["lm_head_2.weight", "wav2vec2.adapter.weight"], report.Unexpected);
        Assert.Equal(["lm_head.bias", "lm_head.weight"], report.Ignored);
    }

    [Fact]
    public void WeightNormConv_Forward_EqualsConvWithGTimesVOverKernelAxisNorm()
    {
        using var conv = new WeightNormConv1d(channels: 8, kernel: 4, groups: 2);
        var state = conv.state_dict();
        var g = state["parametrizations.weight.original0"];
        var v = state["parametrizations.weight.original1"];
        Assert.Equal([1L, 1L, 4L], g.shape);
        using (torch.no_grad())
        {
            g.copy_(torch.tensor(new[] { 0.5f, 2f, -1f, 3f }).view(1, 1, 4));
        }

        using var x = torch.randn(1, 8, 11, generator: new Generator(5));
        using var y = conv.forward(x);

        using var norm = v.pow(2).sum([0L, 1L], keepdim: true).sqrt();
        using var weight = v * g / norm;
        using var full = nn.functional.conv1d(x, weight, state["bias"], padding: 2, groups: 2);
        // An even kernel with padding k/2 yields one extra step, which the layer drops.
        Assert.Equal(12L, full.shape[2]);
        using var expected = full.narrow(2, 0, 11);
        TensorAssert.Close(expected, y, 1e-5);
    }

    [Fact]
    public void Parity_SelfGeneratedReference_ReportsZeroError()
    {
        // Exercises Wav2Vec2Parity's file plumbing with our own outputs as the "reference" (the real reference
        // comes from tests/parity/wav2vec2_parity.py on the GPU machine).
        using var dir = new TempDirectory();
        using var model = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        using var input = torch.randn(1, 4000, generator: new Generator(6));
        using var hidden = model.forward(input);
        SafeTensorsWriter.Write(dir.File("reference.safetensors"), [("hidden_states", hidden)]);
        using var reference = new SafeTensorsFile(dir.File("reference.safetensors"));

        using var again = model.forward(input);
        var error = Wav2Vec2Parity.Compare("hidden_states", again, reference);

        Assert.Equal(0.0, error.MaxAbs);
        Assert.Equal(0.0, error.MaxRel);
    }

    private static LoadReport LoadCtc(Wav2Vec2Model target, ICheckpointFile file) => CheckpointLoader.Load(
        target, [file], renames: Wav2Vec2Model.CheckpointRenames, stripPrefix: Wav2Vec2Model.CtcPrefix, ignoredKeys: Wav2Vec2Model.CtcHeadKeys);

    // Wav2Vec2ForCTC as released: every key under "wav2vec2.", weight_g / weight_v, and the CTC head.
    private static string WriteCtcFile(TempDirectory dir, Wav2Vec2Model source, string? drop = null, (string, Tensor)[]? extra = null)
    {
        var path = dir.File("model.safetensors");
        using var head = torch.randn(5, 32, generator: new Generator(6));
        using var headBias = torch.zeros(5);
        var tensors = source.state_dict()
            .Where(kv => kv.Key != drop)
            .Select(kv => ("wav2vec2." + kv.Key
                .Replace("parametrizations.weight.original0", "weight_g", StringComparison.Ordinal)
                .Replace("parametrizations.weight.original1", "weight_v", StringComparison.Ordinal), kv.Value))
            .Append(("lm_head.weight", head))
            .Append(("lm_head.bias", headBias))
            .Concat(extra ?? []);
        SafeTensorsWriter.Write(path, tensors);
        return path;
    }
}
