using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using EmoFarm.Contracts.Rendering;
using Xunit;

namespace EmoFarm.Faces.Tests.Identity;

/// <summary>
/// tests/fixtures/insightface-parity/, made by tests/parity/insightface_reference.py: insightface 0.7.3's own
/// FaceAnalysis on random-weight models, with each case's input rebuilt here from the same ffmpeg decode.
/// </summary>
public sealed class InsightFaceReference : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string Folder { get; } = Path.Combine(FaceApiPackage.RepositoryRoot, "tests", "fixtures", "insightface-parity");

    public static string ModelsFolder => Path.Combine(Folder, "models");

    internal Document Reference { get; private set; } = null!;

    internal IReadOnlyList<RgbImage> Inputs { get; private set; } = [];

    /// <summary>FaceAnalysis's <c>face.embedding</c> of every face of every case, in order.</summary>
    internal float[][] Embeddings { get; private set; } = [];

    /// <summary>The embeddings of each case's largest face by the Sub/Mul recognition model.</summary>
    internal float[][] SubMulEmbeddings { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        Reference = JsonSerializer.Deserialize<Document>(await File.ReadAllTextAsync(Path.Combine(Folder, "reference.json")), Json)!;
        Embeddings = ReadFloats("embeddings.f32");
        SubMulEmbeddings = ReadFloats("sub-mul-embeddings.f32");
        var inputs = new List<RgbImage>();
        foreach (var c in Reference.Cases)
            inputs.Add(await BuildAsync(c.Input));
        Inputs = inputs;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The RGB crop insightface's norm_crop made of a case's largest face.</summary>
    internal static byte[] LargestCrop(Case c) => File.ReadAllBytes(Path.Combine(Folder, "crops", c.Name + ".rgb"));

    internal static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static float[][] ReadFloats(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Folder, name));
        var all = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, all, 0, bytes.Length);
        return [.. all.Chunk(512)];
    }

    // The operations of insightface_reference.py's cases(), in the same order: decode, transpose, crop.
    private static async Task<RgbImage> BuildAsync(Input input)
    {
        if (input.Gray is { } gray)
        {
            var pixels = new byte[input.Width * input.Height!.Value * 3];
            Array.Fill(pixels, (byte)gray);
            return new RgbImage(input.Width, input.Height.Value, pixels);
        }

        var image = await FaceApiPackage.DecodeAsync(FaceApiPackage.Demo(input.Photo!), input.Width, TestContext.Current.CancellationToken);
        if (input.Transpose) image = Transpose(image);
        if (input.Crop is [var x, var y, var w, var h]) image = Crop(image, x, y, w, h);
        return image;
    }

    private static RgbImage Transpose(RgbImage image)
    {
        var pixels = new byte[image.Pixels.Length];
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
                image.Pixels.AsSpan(((y * image.Width) + x) * 3, 3).CopyTo(pixels.AsSpan(((x * image.Height) + y) * 3));
        }

        return new RgbImage(image.Height, image.Width, pixels);
    }

    private static RgbImage Crop(RgbImage image, int x0, int y0, int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
            image.Pixels.AsSpan((((y0 + y) * image.Width) + x0) * 3, width * 3).CopyTo(pixels.AsSpan(y * width * 3));
        return new RgbImage(width, height, pixels);
    }

    internal sealed record Document(
        int Seed, IReadOnlyList<ModelSignature> Models, IReadOnlyDictionary<string, string> FaceAnalysis,
        string Detector, string Recognition, string SubMulRecognition, IReadOnlyList<Case> Cases);

    internal sealed record ModelSignature(
        string File, IReadOnlyList<TensorSignature> Inputs, IReadOnlyList<TensorSignature> Outputs,
        string? Taskname, double? InputMean, double? InputStd);

    /// <summary>A shape as onnxruntime's Python API reports it: ints, symbols, or null.</summary>
    internal sealed record TensorSignature(string Name, IReadOnlyList<JsonElement> Shape);

    internal sealed record Case(
        string Name, Input Input, int Width, int Height, string InputSha256, string LetterboxSha256, int Candidates,
        IReadOnlyList<Face> Faces, int? Largest, int? SubMulEmbedding, [property: JsonPropertyName("max_num_3")] float[][]? MaxNum3);

    internal sealed record Input(string? Photo, int Width, int? Height, int? Gray, bool Transpose, int[]? Crop);

    internal sealed record Face(float[] Bbox, float Score, float[][] Kps, double[][] NormCrop, string CropSha256, int Embedding)
    {
        public IReadOnlyList<Vector2> Keypoints => [.. Kps.Select(p => new Vector2(p[0], p[1]))];

        public double[] Matrix => [.. NormCrop[0], .. NormCrop[1]];
    }
}
