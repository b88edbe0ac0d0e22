using System.Globalization;
using EmoFarm.Contracts;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Frames;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Farm.Work;
using EmoFarm.Model.Checkpoints;
using EmoFarm.Model.Loading;
using EmoFarm.Model.Rendering;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Farm.Tests.Parity;

/// <summary>
/// tests/fixtures/hallo-parity, loaded: the model from its folder as a worker loads one, and Hallo's inputs and
/// outputs from reference.safetensors (tests/parity/hallo_reference.py wrote both).
/// </summary>
internal sealed class HalloFixture : IDisposable
{
    /// <summary>
    /// The committed fixture. HALLO_PARITY_FIXTURE points the same tests at another folder the generator wrote, for
    /// the by-hand check at SD1.5 widths (HALLO_PRESET=sd15, too large to commit); CI never sets it.
    /// </summary>
    public static readonly string Folder = Environment.GetEnvironmentVariable("HALLO_PARITY_FIXTURE")
        ?? Path.Combine(RepoPaths.Root, "tests", "fixtures", "hallo-parity");

    private readonly SafeTensorsFile _reference = new(Path.Combine(Folder, "reference.safetensors"));

    public HalloFixture()
    {
        Model = EmoModel.Load(new ModelOptions { Weights = Folder, Device = "cpu", Dtype = "float32" }, NullLogger.Instance);
        int Meta(string key) => int.Parse(_reference.Metadata[key], CultureInfo.InvariantCulture);
        (Fps, Size, Steps, AudioFrames) = (Meta("fps"), Meta("size"), Meta("steps"), Meta("audio_frames"));
        Samples = Read("audio_samples").data<float>().ToArray();
    }

    public EmoModel Model { get; }

    public InferenceThread Thread { get; } = new("hallo-parity");

    public int Fps { get; }

    public int Size { get; }

    public int Steps { get; }

    /// <summary>Frames of the video: the audio's length, which Hallo padded to whole clips and cut back to.</summary>
    public int AudioFrames { get; }

    /// <summary>The 16 kHz speech both sides were given.</summary>
    public float[] Samples { get; }

    public Tensor Read(string name) => _reference.Read(_reference[name]);

    /// <summary>Hallo's frames [F, 3, H, W] in [0, 1], stored as round(x · 65535) − 32768: within 7.6e-6 of its floats.</summary>
    public Tensor Frames() => (Read("frames_q16").to(ScalarType.Float64) + 32768) / 65535;

    /// <summary>
    /// The whole segment, as the orchestrator would send a render of this one track in a single segment: the
    /// fixture's given conditioning and speech, or <paramref name="conditioning"/> and <paramref name="samples"/>.
    /// </summary>
    public SegmentSetup Setup(PortraitConditioning? conditioning = null, float[]? samples = null)
    {
        var cfg = float.Parse(_reference.Metadata["cfg"], CultureInfo.InvariantCulture);
        var scale = Read("motion_scale").data<float>().ToArray();
        var settings = new ModelSettings
        {
            Fps = Fps,
            Width = Size,
            Height = Size,
            Steps = Steps,
            GuidanceScale = cfg,
            ReferenceGuidanceScale = cfg,
            HeadMotionSpeed = 0,
            PoseWeight = scale[0],
            FaceWeight = scale[1],
            LipWeight = scale[2],
        };
        var portrait = PngCodec.Decode(File.ReadAllBytes(Path.Combine(Folder, "portrait.png")));
        return new SegmentSetup("hallo-parity", portrait, samples ?? Samples, 0, AudioFrames, 0, settings) { Conditioning = conditioning ?? Conditioning() };
    }

    /// <summary>
    /// Renders the fixture as a worker renders a segment: the renderer, its segment session and the clip loop, which
    /// stores every frame under <paramref name="objects"/>. <paramref name="wrap"/> stands between loop and session;
    /// <paramref name="conditioning"/> and <paramref name="samples"/> replace the fixture's given inputs.
    /// </summary>
    public async Task<FrameStore> RenderAsync(RecordingProbe probe, string objects, Func<ISegmentSession, ISegmentSession>? wrap = null,
        PortraitConditioning? conditioning = null, float[]? samples = null)
    {
        var renderer = new EmoClipRenderer(Model, Thread, new ModelOptions()) { Probe = probe };
        var frames = new FrameStore(new FileBlobStore(objects));
        await using var session = await renderer.BeginAsync(Setup(conditioning, samples), TestContext.Current.CancellationToken);
        var done = await new ClipLoop(frames, 2).RunAsync(wrap?.Invoke(session) ?? session, renderer.Info, AudioFrames, 0, FrameKey,
            () => Task.FromResult(true), (_, _, _) => Task.CompletedTask, [], TestContext.Current.CancellationToken);
        Assert.True(done);
        return frames;
    }

    public static string FrameKey(int frame) => $"hallo-parity/{frame:D5}.png";

    private PortraitConditioning Conditioning()
    {
        float[] Values(string name) => Read(name).data<float>().ToArray();
        IReadOnlyList<float[]> Levels(string kind) => [.. Enumerable.Range(0, Model.Config.Unet.Levels).Select(i => Values($"mask_{kind}_{i}"))];
        return new PortraitConditioning
        {
            FaceEmbedding = Values("face_embedding"),
            FaceMask = Values("face_region"),
            Masks = new RegionMasks(Levels("full"), Levels("face"), Levels("lip")),
        };
    }

    public static double MaxAbs(Tensor a, Tensor b)
    {
        Assert.Equal(b.shape, a.shape);
        return (a.to(ScalarType.Float64) - b.to(ScalarType.Float64)).abs().max().item<double>();
    }

    public static void Report(string what, double error, double tolerance)
    {
        TestContext.Current.SendDiagnosticMessage($"{what}: max abs error {error:E2} (bound {tolerance:E0})");
        Assert.True(error <= tolerance, $"{what}: max abs error {error:E3} over {tolerance:E0}");
    }

    public void Dispose()
    {
        _reference.Dispose();
        Thread.Dispose();
        Model.Dispose();
    }
}
