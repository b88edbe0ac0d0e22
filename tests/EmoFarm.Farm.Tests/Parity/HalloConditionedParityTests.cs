using System.Text.Json;
using EmoFarm.Contracts;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces;
using EmoFarm.Faces.Identity;
using EmoFarm.Faces.Landmarks;
using EmoFarm.Faces.Masks;
using EmoFarm.Faces.Mesh;
using EmoFarm.Farm.Conditioning;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Farm.Tests.Vocals;
using EmoFarm.Farm.Vocals;
using EmoFarm.Model.Audio;
using EmoFarm.Model.Checkpoints;
using EmoFarm.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;
using static EmoFarm.Farm.Tests.Parity.HalloFixture;
using static TorchSharp.torch;

namespace EmoFarm.Farm.Tests.Parity;

/// <summary>
/// End to end from the portrait and the mix: EmoFarm computes the identity embedding (insightface's port), the
/// landmarks (the face mesh), the masks (Hallo's get_mask port) and the vocals (audio-separator's port), then renders
/// with hallo-parity's model. tests/fixtures/hallo-conditioned holds what Hallo's own ImageProcessor.preprocess,
/// AudioProcessor.preprocess and inference loop made from the same files (tests/parity/hallo_reference.py with
/// HALLO_CONDITIONED=1); its models are hallo-parity's, insightface-parity's detector and mdx-parity's separator.
/// </summary>
public sealed class HalloConditionedParityTests : IDisposable
{
    /// <summary>insightface's port end to end: skimage's float32 Umeyama moves a crop pixel or two (measured below).</summary>
    private const double EmbeddingTolerance = 1e-3;

    /// <summary>The graph's fp32 (1.7e-4 of the 192-pixel crop) and the reference's 1/65536 unrounding, in pixels.</summary>
    private const double LandmarkTolerance = 1e-3;

    /// <summary>The given-input parity's bound; what the computed inputs add is printed beside it.</summary>
    private const double FrameTolerance = 1e-3;

    private static readonly string Conditioned = Path.Combine(RepoPaths.Root, "tests", "fixtures", "hallo-conditioned");

    private readonly HalloFixture _fixture = new();
    private readonly SafeTensorsFile _hallo = new(Path.Combine(Conditioned, "reference.safetensors"));
    private readonly TempFolder _work = new("hallo-conditioned");

    [Fact]
    public async Task RenderSegment_ComputedConditioning_MatchesHallosPreprocessingAndFrames()
    {
        var ct = TestContext.Current.CancellationToken;
        using var record = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Conditioned, "conditioned.json"), ct));
        var root = record.RootElement;
        var release = Release();
        var portrait = PngCodec.Decode(await File.ReadAllBytesAsync(Path.Combine(Folder, "portrait.png"), ct));

        // The orchestrator's own glue, over a folder laid out like Hallo's pretrained_models/.
        using var models = new ConditioningModels(
            Options.Create(new ConditioningOptions { Release = release, FaceMeshFolder = FaceMeshFolder() }), NullLogger<ConditioningModels>.Instance);
        var b = root.GetProperty("face_box").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var (size, ratio) = (portrait.Width, root.GetProperty("face_expand_ratio").GetDouble());
        // The box framing would hand over; exact in binary, so it is the same box in pixels.
        var region = new FaceRegion(b[0] / size, b[1] / size, (b[0] + b[2]) / size, (b[1] + b[3]) / size);
        var (analysis, identityReport, landmarkReport) = new PortraitAnalyzer(models).Analyse(portrait, region);
        TestContext.Current.SendDiagnosticMessage($"identity: {identityReport}; landmarks: {landmarkReport}");
        Assert.NotNull(analysis?.Embedding);
        Assert.NotNull(analysis.Landmarks);

        // Identity: insightface's largest face, as ImageProcessor.preprocess and PortraitAnalyzer take it.
        var identity = models.Identity!;
        var faces = identity.Detect(portrait);
        var halloFaces = root.GetProperty("faces").EnumerateArray().ToArray();
        Assert.Equal(halloFaces.Length, faces.Count);
        var boxError = faces.Zip(halloFaces, (f, h) => Box(f).Zip(h.GetProperty("bbox").EnumerateArray(), (a, b) => Math.Abs(a - b.GetDouble())).Max()).Max();
        Report("insightface boxes (pixels)", boxError, 1e-4);
        Report("identity embedding", MaxAbs(tensor(analysis.Embedding), Read("face_embedding")), EmbeddingTolerance);

        // Landmarks: the face mesh on the box framing hands PortraitAnalyzer.
        using var ours = tensor(analysis.Landmarks, [analysis.Landmarks.Length / 2, 2]);
        Report("face-mesh landmarks (pixels)", MaxAbs(ours, Read("landmarks")), LandmarkTolerance);

        // Masks: what the worker's SegmentInputs draws from the command's analysis, against Hallo's get_mask.
        var settings = _fixture.Setup().Settings with { FaceExpandRatio = ratio };
        Assert.Equal(ratio, settings.FaceExpandRatio);
        var conditioning = SegmentInputs.Conditioning(analysis, settings)!;
        AssertMasksEqual(conditioning);

        // Vocals: the mix as a WAV, decoded and separated by the orchestrator's VocalTrack.
        var wav = _work.File("mix.wav");
        await File.WriteAllBytesAsync(wav, PcmWav.Write(ParityMix.Interleaved(root.GetProperty("mix_seconds").GetInt32() * ParityMix.SampleRate), 2, ParityMix.SampleRate), ct);
        var (vocalTrack, audioReport) = await new VocalTrack(models, NullLogger<VocalTrack>.Instance).DriveAsync("parity", wav, separate: true, ct);
        Assert.StartsWith("the vocals, separated by Kim_Vocal_2.onnx", audioReport, StringComparison.Ordinal);
        float[] vocals;
        using (vocalTrack)
            vocals = AudioDecoder.FromBytes(await File.ReadAllBytesAsync(vocalTrack!.Path, ct));
        using var halloVocals = Read("audio_samples");
        var vocalError = MaxAbs(tensor(vocals), halloVocals);
        var differing = vocals.Zip(halloVocals.data<float>().ToArray(), (x, y) => x != y).Count(d => d);
        TestContext.Current.SendDiagnosticMessage($"16 kHz vocals: {differing} of {vocals.Length} samples differ");
        Report("16 kHz vocals", vocalError, 2.0 / 32768);

        await RenderAndCompareAsync(conditioning, vocals, ct);
    }

    private async Task RenderAndCompareAsync(PortraitConditioning conditioning, float[] vocals, CancellationToken ct)
    {
        var model = _fixture.Model;
        using var halloFeatures = Read("wav2vec_features");
        var features = await _fixture.Thread.RunAsync(
            () => new AudioFeatureExtractor(model.Parts.AudioEncoder).Extract(vocals, _fixture.Fps, (int)halloFeatures.shape[0]).select(1, 2).contiguous(), ct);
        // 7.9e-5 measured: the vocals differ by one int16 step in 121 of 32000 samples (the stem's last float bit
        // decides a truncation), which wav2vec2 spreads; 2e-4 leaves room for another CPU's ONNX Runtime rounding.
        Report("wav2vec2 features", MaxAbs(features, halloFeatures), 2e-4);

        // Hallo's noise is hallo-parity's: the generator checked that its draws are the same.
        var probe = new RecordingProbe(_fixture.Read("noise"));
        await _fixture.RenderAsync(probe, _work.Sub("objects"), conditioning: conditioning, samples: vocals);
        using var halloSteps = Read("clip0_step_latents");
        for (var i = 0; i < _fixture.Steps; i++)
            Report($"clip 0 latents after step {i + 1}", MaxAbs(probe.Steps[i], halloSteps.narrow(0, i, 1)), 1e-3);

        // Hallo's frames are kept at every fourth index and each clip's last two (the next clip's motion frames).
        using var all = cat(probe.Frames, 0);
        using var indices = Read("frame_indices").to(ScalarType.Int64);
        using var kept = all.index_select(0, indices);
        using var halloFrames = (Read("frames_q16").to(ScalarType.Float64) + 32768) / 65535;
        Report("frames (every kept index)", MaxAbs(kept, halloFrames), FrameTolerance);
        using var given = _fixture.Frames().index_select(0, indices);
        TestContext.Current.SendDiagnosticMessage($"the computed conditioning moves the frames by up to {MaxAbs(halloFrames, given):E2} from hallo-parity's given-input render");
    }

    private void AssertMasksEqual(PortraitConditioning conditioning)
    {
        AssertEqual("face_region", conditioning.FaceMask!);
        var masks = conditioning.Masks!;
        for (var i = 0; i < masks.Full.Count; i++)
        {
            AssertEqual($"mask_full_{i}", masks.Full[i]);
            AssertEqual($"mask_face_{i}", masks.Face[i]);
            AssertEqual($"mask_lip_{i}", masks.Lip[i]);
        }
    }

    private void AssertEqual(string name, float[] ours)
    {
        using var hallo = Read(name);
        var expected = hallo.data<float>().ToArray();
        Assert.Equal(expected.Length, ours.Length);
        var differing = expected.Zip(ours, (e, o) => e != o).Count(d => d);
        Assert.True(differing == 0, $"{name}: {differing} of {ours.Length} values differ from Hallo's");
    }

    /// <summary>Hallo's pretrained_models/ in miniature, laid out as ConditioningOptions.Release reads it.</summary>
    private string Release()
    {
        var fixtures = Path.Combine(RepoPaths.Root, "tests", "fixtures");
        var release = _work.File("pretrained_models");
        var models = Directory.CreateDirectory(Path.Combine(release, "face_analysis", "models")).FullName;
        var separator = Directory.CreateDirectory(Path.Combine(release, "audio_separator")).FullName;
        File.Copy(Path.Combine(fixtures, "insightface-parity", "models", "random-scrfd_10g_bnkps.onnx"), Path.Combine(models, "random-scrfd_10g_bnkps.onnx"));
        File.Copy(Path.Combine(Conditioned, "random-glintr100-16.onnx"), Path.Combine(models, "random-glintr100-16.onnx"));
        foreach (var name in new[] { VocalSeparator.ModelFileName, "mdx_model_data.json" })
            File.Copy(Path.Combine(fixtures, "mdx-parity", name), Path.Combine(separator, name));
        return release;
    }

    /// <summary>human-models' models/ as scripts/install-face-api.sh installs it; missing is a failure, as in the Faces tests.</summary>
    private static string FaceMeshFolder()
    {
        var modules = Environment.GetEnvironmentVariable("EMOFARM_FACE_API_MODULES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepoPaths.Root, ".cache", "face-api", "node_modules");
        var folder = Path.Combine(modules, "@vladmandic", "human-models", "models");
        return File.Exists(Path.Combine(folder, FaceMesh.ModelFile))
            ? folder
            : throw new InvalidOperationException($"no {Path.Combine(folder, FaceMesh.ModelFile)}: run scripts/install-face-api.sh");
    }

    private static double[] Box(DetectedFace face) => [face.X1, face.Y1, face.X2, face.Y2];

    private Tensor Read(string name) => _hallo.Read(_hallo[name]);

    public void Dispose()
    {
        _hallo.Dispose();
        _fixture.Dispose();
        _work.Dispose();
    }
}
