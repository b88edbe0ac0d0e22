using System.Text.Json;
using System.Text.Json.Serialization;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces.Detection;
using EmoFarm.Faces.Landmarks;
using EmoFarm.Faces.Mesh;
using EmoFarm.Testing;
using Xunit;

namespace EmoFarm.Faces.Tests;

/// <summary>
/// MediaPipe's face mesh in TensorFlow.js with human's own crop and mapping code (tests/parity/face_mesh_reference.cjs,
/// pure-JS CPU backend), run once per test run: the numbers <see cref="FaceMesh"/> must reproduce. The faces are
/// the two best our SSD detector finds on two demo photographs, and two of them again on copies of their photo
/// turned about the face, with a symmetry line at the turn's angle, so human's rotation path runs too. About six
/// faces: a few seconds of Node.
/// </summary>
public sealed class FaceMeshReference : IAsyncLifetime
{
    /// <summary>The turns of the rotated cases, radians: one each way, both above human's 0.2 threshold.</summary>
    public static readonly double[] Turns = [0.5, -0.7];

    private static readonly string[] PhotoNames = ["sample1.jpg", "sample2.jpg"];

    private readonly TempFolder folder = new("facemesh");

    public IReadOnlyList<RgbImage> Images { get; private set; } = [];

    public IReadOnlyList<MeshFace> Faces { get; private set; } = [];

    public IReadOnlyList<ReferenceMesh> Results { get; private set; } = [];

    /// <summary>Each face's mesh input as TensorFlow.js computed it, 192×192×3 NHWC.</summary>
    public IReadOnlyList<float[]> Inputs { get; private set; } = [];

    public string TfjsVersion { get; private set; } = "";

    public long Milliseconds { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var token = TestContext.Current.CancellationToken;
        var images = new List<RgbImage>();
        var faces = new List<MeshFace>();
        using (var detector = FaceDetector.Load(FaceApiPackage.Models))
        {
            foreach (var name in PhotoNames)
            {
                var photo = await FaceApiPackage.DecodeAsync(FaceApiPackage.Demo(name), FaceApiReference.PhotoWidth, token);
                var index = images.Count;
                images.Add(photo);
                faces.AddRange(detector.Detect(photo, maxResults: 2).Select(d => new MeshFace(index, d.Box, null)));
            }
        }

        // A turned copy of each photo about its first face's centre, the face box kept (it is centred on the turn),
        // and a symmetry line turned with the face.
        for (var p = 0; p < PhotoNames.Length; p++)
        {
            var face = faces.First(f => f.Image == p);
            var (cx, cy) = (face.Box.CentreX, face.Box.CentreY);
            var turn = Turns[p];
            images.Add(TestImages.Rotate(images[p], cx, cy, turn));
            FacePoint Turned(double dx, double dy) =>
                new(cx + (dx * Math.Cos(turn)) - (dy * Math.Sin(turn)), cy + (dx * Math.Sin(turn)) + (dy * Math.Cos(turn)));
            faces.Add(new MeshFace(images.Count - 1, face.Box, new SymmetryLine(Turned(0, 20), Turned(0, -40))));
        }

        var jobImages = new List<object>();
        for (var i = 0; i < images.Count; i++)
        {
            var raw = folder.File($"image{i}.rgb");
            await File.WriteAllBytesAsync(raw, images[i].Pixels, token);
            jobImages.Add(new { path = raw, width = images[i].Width, height = images[i].Height });
        }

        var jobFaces = faces.Select(f => new
        {
            image = f.Image,
            box = new { x = f.Box.X, y = f.Box.Y, width = f.Box.Width, height = f.Box.Height },
            line = f.Line is { } l ? new { lower = new[] { l.Lower.X, l.Lower.Y }, upper = new[] { l.Upper.X, l.Upper.Y } } : null,
        });
        var job = folder.File("job.json");
        var result = folder.File("result.json");
        var outputs = folder.Sub("inputs");
        await File.WriteAllTextAsync(job, JsonSerializer.Serialize(new { images = jobImages, faces = jobFaces }), token);
        var script = Path.Combine(FaceApiPackage.RepositoryRoot, "tests", "parity", "face_mesh_reference.cjs");
        _ = FaceApiPackage.FaceMeshModels; // fails with the install hint when the mesh is missing
        var run = await ChildProcess.RunAsync(
            new ChildProcessOptions { FileName = "node", Arguments = [script, FaceApiPackage.NodeModules, job, result, outputs] },
            TimeSpan.FromMinutes(5),
            token);
        if (!run.Succeeded) throw new InvalidOperationException($"the face mesh reference failed ({run.ExitCode}):\n{run.Output}");

        var parsed = JsonSerializer.Deserialize<ReferenceMeshRun>(await File.ReadAllTextAsync(result, token))
            ?? throw new InvalidDataException("empty face mesh reference result");
        var inputs = new List<float[]>();
        foreach (var face in parsed.Faces)
        {
            var bytes = await File.ReadAllBytesAsync(face.Input, token);
            var values = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
            inputs.Add(values);
        }

        Images = images;
        Faces = faces;
        Results = parsed.Faces;
        Inputs = inputs;
        TfjsVersion = parsed.Tfjs;
        Milliseconds = parsed.Milliseconds;
    }

    public ValueTask DisposeAsync()
    {
        folder.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed record ReferenceMeshRun(
        [property: JsonPropertyName("tfjs")] string Tfjs,
        [property: JsonPropertyName("ms")] long Milliseconds,
        [property: JsonPropertyName("faces")] IReadOnlyList<ReferenceMesh> Faces);
}

/// <summary>One face the reference ran: which image, the detector's box, and the line to turn it by (if any).</summary>
public sealed record MeshFace(int Image, FaceBox Box, SymmetryLine? Line);

public sealed record ReferenceCrop(
    [property: JsonPropertyName("startPoint")] double[] StartPoint,
    [property: JsonPropertyName("endPoint")] double[] EndPoint);

/// <summary>One face as human computed it.</summary>
public sealed record ReferenceMesh(
    [property: JsonPropertyName("crop")] ReferenceCrop Crop,
    [property: JsonPropertyName("angle")] double Angle,
    [property: JsonPropertyName("rotated")] bool Rotated,
    [property: JsonPropertyName("input")] string Input,
    [property: JsonPropertyName("confidence")] double Confidence,
    [property: JsonPropertyName("rawMesh")] float[] RawMesh,
    [property: JsonPropertyName("contours")] float[] Contours,
    [property: JsonPropertyName("mesh")] IReadOnlyList<double[]> Mesh,
    [property: JsonPropertyName("meshUnrounded")] IReadOnlyList<double[]> MeshUnrounded,
    [property: JsonPropertyName("z")] float[] Z);

[CollectionDefinition("FaceMesh")]
public sealed class FaceMeshGroup : ICollectionFixture<FaceMeshReference>;
