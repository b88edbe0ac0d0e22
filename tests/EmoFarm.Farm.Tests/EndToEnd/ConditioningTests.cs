using EmoFarm.Api.V1;
using EmoFarm.Faces.Mesh;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Tests.Services;
using EmoFarm.Farm.Vocals;
using EmoFarm.Testing;
using Minio.DataModel.Args;
using Xunit;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>
/// Hallo's conditioning on a real orchestrator: with the models of a Hallo-style release folder (the parity
/// fixtures' random-weight models under Hallo's names) each render says which identity, landmark and separation
/// model it used, the audio slices the workers get are the separated vocals, and without the models each render
/// says what it lacks.
/// </summary>
[Collection(ServicesCollectionDefinition.Name)]
public sealed class ConditioningTests(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3) : IDisposable
{
    private static readonly string Fixtures = Path.Combine(RepoPaths.Root, "tests", "fixtures");
    private readonly TempFolder _work = new("emofarm-conditioning");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string FaceApiModules =>
        Environment.GetEnvironmentVariable("EMOFARM_FACE_API_MODULES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepoPaths.Root, ".cache", "face-api", "node_modules");

    private static RenderParameters Square => new() { Width = 64, Height = 64, Framing = new Framing { LargestFace = true } };

    [Fact]
    public async Task Create_WithHallosRelease_ReportsEachModelAndSlicesTheVocals()
    {
        await using var farm = await StartAsync(("Conditioning__Release", Release()), ("Conditioning__FaceMeshFolder", MeshFolder()));
        var photo = await File.ReadAllBytesAsync(Path.Combine(FaceApiModules, "@vladmandic", "face-api", "demo", "sample1.jpg"), Ct);
        var speech = await TestMedia.SpeechAsync(2);

        var separated = await farm.SubmitAsync(photo, speech, Square);
        var mix = await farm.SubmitAsync(photo, speech, new RenderParameters(Square) { SeparateVocals = false });

        // Random weights may or may not see a face in the framed portrait; either way the release's two models ran.
        Assert.Contains("insightface (random-scrfd_10g_bnkps.onnx + random-glintr100.onnx)", separated.Conditioning.Identity, StringComparison.Ordinal);
        Assert.StartsWith(FaceMesh.ModelName, separated.Conditioning.Landmarks, StringComparison.Ordinal);
        Assert.StartsWith($"the vocals, separated by {VocalSeparator.ModelFileName}", separated.Conditioning.Audio, StringComparison.Ordinal);
        Assert.Equal("the mix: vocal separation is off for this render", mix.Conditioning.Audio);
        Assert.True(mix.Parameters.HasSeparateVocals && !mix.Parameters.SeparateVocals);
        // What the workers hear: the separated render's slice is not the mix's.
        Assert.NotEqual(await SliceAsync(farm, separated.Id), await SliceAsync(farm, mix.Id));
    }

    [Fact]
    public async Task Create_WithoutTheModels_SaysWhatEachRenderLacks()
    {
        await using var farm = await StartAsync();
        var photo = await File.ReadAllBytesAsync(Path.Combine(FaceApiModules, "@vladmandic", "face-api", "demo", "sample1.jpg"), Ct);

        var render = await farm.SubmitAsync(photo, await TestMedia.SpeechAsync(2), Square);

        Assert.Contains("NONE, the model sees zeros: Conditioning:Release is empty", render.Conditioning.Identity, StringComparison.Ordinal);
        Assert.Contains("NONE, the masks cover the whole frame: Conditioning:FaceMeshFolder is empty", render.Conditioning.Landmarks, StringComparison.Ordinal);
        Assert.Contains("NO VOCAL SEPARATION", render.Conditioning.Audio, StringComparison.Ordinal);
    }

    private async Task<byte[]> SliceAsync(FarmHarness farm, string renderId)
    {
        using var stream = new MemoryStream();
        using var client = s3.CreateClient();
        await client.GetObjectAsync(new GetObjectArgs().WithBucket(farm.Bucket).WithObject(BlobKeys.AudioSlice(farm.Tenant, renderId, 0))
            .WithCallbackStream(s => s.CopyTo(stream)), Ct);
        return stream.ToArray();
    }

    /// <summary>A folder laid out like Hallo's pretrained_models/, holding the parity fixtures' random-weight models.</summary>
    private string Release()
    {
        var release = _work.File("pretrained_models");
        var models = Directory.CreateDirectory(Path.Combine(release, "face_analysis", "models")).FullName;
        var separator = Directory.CreateDirectory(Path.Combine(release, "audio_separator")).FullName;
        foreach (var name in new[] { "random-scrfd_10g_bnkps.onnx", "random-glintr100.onnx" })
            File.Copy(Path.Combine(Fixtures, "insightface-parity", "models", name), Path.Combine(models, name));
        foreach (var name in new[] { VocalSeparator.ModelFileName, VocalSeparator.ModelDataFileName })
            File.Copy(Path.Combine(Fixtures, "mdx-parity", name), Path.Combine(separator, name));
        return release;
    }

    private static string MeshFolder() => Path.Combine(FaceApiModules, "@vladmandic", "human-models", "models");

    private async Task<FarmHarness> StartAsync(params (string Key, string Value)[] settings)
    {
        var farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        farm.OrchestratorSettings["Faces__ModelFolder"] = Path.Combine(FaceApiModules, "@vladmandic", "face-api", "model");
        foreach (var (key, value) in settings)
            farm.OrchestratorSettings[key] = value;
        await farm.StartOrchestratorAsync();
        return farm;
    }

    public void Dispose() => _work.Dispose();
}
