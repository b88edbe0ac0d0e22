using System.Globalization;
using EmoFarm.Contracts;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Farm.Work;
using EmoFarm.Model.Audio;
using EmoFarm.Model.Checkpoints;
using EmoFarm.Model.Rendering;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
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

    private static readonly string Fixture = Path.Combine(RepoPaths.Root, "tests", "fixtures", "hallo-parity");
    private readonly string _objects = Directory.CreateTempSubdirectory("emofarm-hallo-parity").FullName;

    [Fact]
    public async Task RenderSegment_HalloFixture_MatchesHalloFeaturesLatentsAndFrames()
    {
        using var reference = new SafeTensorsFile(Path.Combine(Fixture, "reference.safetensors"));
        var meta = reference.Metadata;
        int Meta(string key) => int.Parse(meta[key], CultureInfo.InvariantCulture);
        var (fps, size, steps, audioFrames) = (Meta("fps"), Meta("size"), Meta("steps"), Meta("audio_frames"));
        var cfg = float.Parse(meta["cfg"], CultureInfo.InvariantCulture);
        using var model = EmoModel.Load(new ModelOptions { Weights = Fixture, Device = "cpu", Dtype = "float32" }, NullLogger.Instance);
        using var thread = new InferenceThread("parity");
        var samples = Read(reference, "audio_samples").data<float>().ToArray();

        // Hallo's Wav2VecModel over the whole track, padded to whole clips: the centre of each ±2 window.
        using var hallo = Read(reference, "wav2vec_features");
        var features = await thread.RunAsync(() =>
            new AudioFeatureExtractor(model.Parts.AudioEncoder).Extract(samples, fps, (int)hallo.shape[0]).select(1, 2).contiguous(),
            TestContext.Current.CancellationToken);
        Report("wav2vec2 features", MaxAbs(features, hallo), 1e-4);

        var probe = new RecordingProbe(Read(reference, "noise"));
        var renderer = new EmoClipRenderer(model, thread, new ModelOptions()) { Probe = probe };
        var settings = new ModelSettings
        {
            Fps = fps,
            Width = size,
            Height = size,
            Steps = steps,
            GuidanceScale = cfg,
            ReferenceGuidanceScale = cfg,
            HeadMotionSpeed = 0,
        };
        var scale = Read(reference, "motion_scale").data<float>().ToArray();
        settings = settings with { PoseWeight = scale[0], FaceWeight = scale[1], LipWeight = scale[2] };
        var portrait = PngCodec.Decode(File.ReadAllBytes(Path.Combine(Fixture, "portrait.png")));
        var setup = new SegmentSetup("parity", portrait, samples, 0, audioFrames, 0, settings) { Conditioning = Conditioning(reference, model.Config.Unet.Levels) };

        var frames = new FrameStore(new FileBlobStore(_objects));
        await using (var session = await renderer.BeginAsync(setup, TestContext.Current.CancellationToken))
        {
            var done = await new ClipLoop(frames, 2).RunAsync(session, renderer.Info, audioFrames, 0, Key,
                () => Task.FromResult(true), (_, _, _) => Task.CompletedTask, [], TestContext.Current.CancellationToken);
            Assert.True(done);
        }

        using var halloSteps = Read(reference, "clip0_step_latents");
        Assert.Equal(steps, probe.Steps.Count);
        for (var i = 0; i < steps; i++)
            Report($"clip 0 latents after step {i + 1}", MaxAbs(probe.Steps[i], halloSteps.narrow(0, i, 1)), 1e-3);

        // Stored as round(x * 65535) - 32768: within 7.6e-6 of Hallo's floats.
        using var halloFrames = (Read(reference, "frames_q16").to(ScalarType.Float64) + 32768) / 65535;
        using var ours = cat(probe.Frames, 0);
        Assert.Equal(halloFrames.shape, ours.shape);
        var clipFrames = model.Config.ClipFrames;
        for (var c = 0; c * clipFrames < audioFrames; c++)
        {
            var n = Math.Min(clipFrames, audioFrames - (c * clipFrames));
            Report($"clip {c} frames", MaxAbs(ours.narrow(0, c * clipFrames, n), halloFrames.narrow(0, c * clipFrames, n)), FrameTolerance);
        }

        // What the clip loop stored is Hallo's tensor_to_video bytes, up to one level where fp32 rounding crosses one.
        var stored = await frames.GetManyAsync(Enumerable.Range(0, audioFrames).Select(Key), TestContext.Current.CancellationToken);
        using var halloBytes = (halloFrames * 255).clamp(0, 255).trunc().permute(0, 2, 3, 1).contiguous();
        var expected = halloBytes.data<double>().ToArray();
        var got = stored.SelectMany(f => f.Pixels).ToArray();
        Assert.Equal(expected.Length, got.Length);
        var worst = expected.Zip(got, (e, g) => Math.Abs(e - g)).Max();
        var differing = expected.Zip(got, (e, g) => e != g).Count(d => d);
        TestContext.Current.SendDiagnosticMessage($"stored bytes: {differing} of {got.Length} differ from Hallo's, by at most {worst}");
        Assert.True(worst <= 1, $"a stored byte is {worst} levels from Hallo's");
    }

    private static string Key(int frame) => $"parity/{frame:D5}.png";

    private static Tensor Read(SafeTensorsFile file, string name) => file.Read(file[name]);

    private static PortraitConditioning Conditioning(SafeTensorsFile reference, int levels)
    {
        float[] Values(string name) => Read(reference, name).data<float>().ToArray();
        IReadOnlyList<float[]> Levels(string kind) => [.. Enumerable.Range(0, levels).Select(i => Values($"mask_{kind}_{i}"))];
        return new PortraitConditioning
        {
            FaceEmbedding = Values("face_embedding"),
            FaceMask = Values("face_region"),
            Masks = new RegionMasks(Levels("full"), Levels("face"), Levels("lip")),
        };
    }

    private static double MaxAbs(Tensor a, Tensor b)
    {
        Assert.Equal(b.shape, a.shape);
        return (a.to(ScalarType.Float64) - b.to(ScalarType.Float64)).abs().max().item<double>();
    }

    private static void Report(string what, double error, double tolerance)
    {
        TestContext.Current.SendDiagnosticMessage($"{what}: max abs error {error:E2} (bound {tolerance:E0})");
        Assert.True(error <= tolerance, $"{what}: max abs error {error:E3} over {tolerance:E0}");
    }

    public void Dispose() => Directory.Delete(_objects, recursive: true);

    /// <summary>Hands each clip Hallo's noise and keeps copies of what the session reports.</summary>
    private sealed class RecordingProbe(Tensor noise) : ISamplingProbe
    {
        public List<Tensor> Steps { get; } = [];

        public List<Tensor> Frames { get; } = [];

        public Tensor? InitialNoise(int clip) => noise.narrow(0, clip, 1);

        public void OnStep(int clip, int step, Tensor latents)
        {
            if (clip == 0)
                Steps.Add(latents.cpu().clone().DetachFromDisposeScope());
        }

        public void OnFrames(int clip, Tensor frames) => Frames.Add(frames.cpu().clone().DetachFromDisposeScope());
    }
}
