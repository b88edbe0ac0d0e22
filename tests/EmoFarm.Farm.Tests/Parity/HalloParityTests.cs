using EmoFarm.Model.Audio;
using Xunit;
using static EmoFarm.Farm.Tests.Parity.HalloFixture;
using static TorchSharp.torch;

namespace EmoFarm.Farm.Tests.Parity;

/// <summary>
/// EmoFarm renders what Hallo renders. tests/fixtures/hallo-parity holds a checkpoint of Hallo's architecture at
/// small widths and what Hallo's own code (tests/parity/hallo_reference.py) rendered from it; this renders the same
/// inputs through the worker's path (the model loaded from the folder, the segment session, the clip loop storing
/// frames, the sampler, the VAE, audio features from the raw samples) and compares each stage.
/// </summary>
public sealed class HalloParityTests : IDisposable
{
    /// <summary>The bound for frames in [0, 1] in fp32; the measured figures are printed and far lower.</summary>
    private const double FrameTolerance = 1e-3;

    private readonly HalloFixture _fixture = new();
    private readonly string _objects = Directory.CreateTempSubdirectory("emofarm-hallo-parity").FullName;

    [Fact]
    public async Task RenderSegment_HalloFixture_MatchesHalloFeaturesLatentsAndFrames()
    {
        var (model, frameCount) = (_fixture.Model, _fixture.AudioFrames);

        // Hallo's Wav2VecModel over the whole track, padded to whole clips: the centre of each ±2 window.
        using var hallo = _fixture.Read("wav2vec_features");
        var features = await _fixture.Thread.RunAsync(
            () => new AudioFeatureExtractor(model.Parts.AudioEncoder).Extract(_fixture.Samples, _fixture.Fps, (int)hallo.shape[0]).select(1, 2).contiguous(),
            TestContext.Current.CancellationToken);
        Report("wav2vec2 features", MaxAbs(features, hallo), 1e-4);

        var probe = new RecordingProbe(_fixture.Read("noise"));
        var frames = await _fixture.RenderAsync(probe, _objects);

        using var halloSteps = _fixture.Read("clip0_step_latents");
        Assert.Equal(_fixture.Steps, probe.Steps.Count);
        for (var i = 0; i < _fixture.Steps; i++)
            Report($"clip 0 latents after step {i + 1}", MaxAbs(probe.Steps[i], halloSteps.narrow(0, i, 1)), 1e-3);

        using var halloFrames = _fixture.Frames();
        using var ours = cat(probe.Frames, 0);
        Assert.Equal(halloFrames.shape, ours.shape);
        var clipFrames = model.Config.ClipFrames;
        for (var c = 0; c * clipFrames < frameCount; c++)
        {
            var n = Math.Min(clipFrames, frameCount - (c * clipFrames));
            Report($"clip {c} frames", MaxAbs(ours.narrow(0, c * clipFrames, n), halloFrames.narrow(0, c * clipFrames, n)), FrameTolerance);
        }

        // What the clip loop stored is Hallo's tensor_to_video bytes, up to one level where fp32 rounding crosses one.
        var stored = await frames.GetManyAsync(Enumerable.Range(0, frameCount).Select(FrameKey), TestContext.Current.CancellationToken);
        using var halloBytes = (halloFrames * 255).clamp(0, 255).trunc().permute(0, 2, 3, 1).contiguous();
        var expected = halloBytes.data<double>().ToArray();
        var got = stored.SelectMany(f => f.Pixels).ToArray();
        Assert.Equal(expected.Length, got.Length);
        var worst = expected.Zip(got, (e, g) => Math.Abs(e - g)).Max();
        var differing = expected.Zip(got, (e, g) => e != g).Count(d => d);
        TestContext.Current.SendDiagnosticMessage($"stored bytes: {differing} of {got.Length} differ from Hallo's, by at most {worst}");
        Assert.True(worst <= 1, $"a stored byte is {worst} levels from Hallo's");
    }

    public void Dispose()
    {
        _fixture.Dispose();
        Directory.Delete(_objects, recursive: true);
    }
}
