using System.Text.Json;
using System.Text.Json.Serialization;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Testing;
using Xunit;

namespace EmoFarm.Faces.Tests;

/// <summary>
/// face-api's own JavaScript pipeline (tests/parity/face_api_reference.cjs, pure-JS TensorFlow.js CPU backend),
/// run once per test run on the demo photographs: the numbers our TorchSharp nets must reproduce. It takes about
/// 90 s on two cores, so only the parity tests share it, through the "FaceApi" collection.
/// </summary>
public sealed class FaceApiReference : IAsyncLifetime
{
    /// <summary>Width the demo photographs are scaled to, for both sides.</summary>
    public const int PhotoWidth = 960;

    private readonly TempFolder folder = new("emofarm-faces");

    public IReadOnlyList<RgbImage> Photos { get; private set; } = [];

    public IReadOnlyList<ReferenceImage> Results { get; private set; } = [];

    public string TfjsVersion { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var token = TestContext.Current.CancellationToken;
        var photos = new List<RgbImage>();
        var jobImages = new List<object>();
        foreach (var name in FaceApiPackage.DemoPhotos)
        {
            var photo = await FaceApiPackage.DecodeAsync(FaceApiPackage.Demo(name), PhotoWidth, token);
            var raw = folder.File(name + ".rgb");
            await File.WriteAllBytesAsync(raw, photo.Pixels, token);
            photos.Add(photo);
            jobImages.Add(new { path = raw, width = photo.Width, height = photo.Height });
        }

        var job = folder.File("job.json");
        var result = folder.File("result.json");
        await File.WriteAllTextAsync(job, JsonSerializer.Serialize(new { images = jobImages, minConfidence = 0.5 }), token);
        var script = Path.Combine(FaceApiPackage.RepositoryRoot, "tests", "parity", "face_api_reference.cjs");
        var run = await ChildProcess.RunAsync(
            new ChildProcessOptions { FileName = "node", Arguments = [script, FaceApiPackage.NodeModules, job, result] },
            TimeSpan.FromMinutes(10),
            token);
        if (!run.Succeeded) throw new InvalidOperationException($"the face-api reference failed ({run.ExitCode}):\n{run.Output}");

        var parsed = JsonSerializer.Deserialize<ReferenceRun>(await File.ReadAllTextAsync(result, token))
            ?? throw new InvalidDataException("empty reference result");
        Photos = photos;
        Results = parsed.Images;
        TfjsVersion = parsed.Tfjs;
    }

    public ValueTask DisposeAsync()
    {
        folder.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed record ReferenceRun(
        [property: JsonPropertyName("tfjs")] string Tfjs,
        [property: JsonPropertyName("images")] IReadOnlyList<ReferenceImage> Images);
}

public sealed record ReferenceBox(
    [property: JsonPropertyName("x")] double X,
    [property: JsonPropertyName("y")] double Y,
    [property: JsonPropertyName("width")] double Width,
    [property: JsonPropertyName("height")] double Height)
{
    public FaceBox ToFaceBox() => new(X, Y, Width, Height);
}

public sealed record ReferenceFace(
    [property: JsonPropertyName("box")] ReferenceBox Box,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("landmarks")] IReadOnlyList<double[]> Landmarks,
    [property: JsonPropertyName("alignedBox")] ReferenceBox AlignedBox,
    [property: JsonPropertyName("descriptor")] IReadOnlyList<float> Descriptor);

public sealed record ReferenceDetection(
    [property: JsonPropertyName("box")] ReferenceBox Box,
    [property: JsonPropertyName("score")] double Score);

public sealed record ReferenceImage(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("ms")] long Milliseconds,
    [property: JsonPropertyName("faces")] IReadOnlyList<ReferenceFace> Faces,
    [property: JsonPropertyName("tinyFaces")] IReadOnlyList<ReferenceDetection> TinyFaces);

[CollectionDefinition("FaceApi")]
public sealed class FaceApiGroup : ICollectionFixture<FaceApiReference>;
