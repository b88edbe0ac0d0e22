using EmoFarm.Contracts.Rendering;
using Microsoft.ML.OnnxRuntime;

namespace EmoFarm.Faces.Identity;

/// <summary>
/// Hallo's face identity: insightface 0.7.3's <c>FaceAnalysis(name="", root=...)</c> over a folder of ONNX models
/// (Hallo's <c>face_analysis/models/</c>), prepared with det_size 640², and the embedding of the largest face that
/// Hallo's <c>ImageProcessor.preprocess</c> feeds its image projection. Models are recognised by their signatures,
/// never by their file names. Only the detector and the recognition model are kept open: the landmark and
/// gender/age models that FaceAnalysis also runs do not change the embedding. Thread-safe.
/// </summary>
public sealed class IdentityModels : IDisposable
{
    /// <summary>Hallo's <c>prepare(ctx_id=0, det_size=(640, 640))</c>; a detector with a fixed input size uses its own.</summary>
    public const int DetectionSize = 640;

    private readonly ScrfdDetector detector;
    private readonly ArcFaceRecognizer recognizer;

    private IdentityModels(string folder, IReadOnlyList<OnnxModelDescription> models, ScrfdDetector detector, ArcFaceRecognizer recognizer)
    {
        Folder = folder;
        Models = models;
        this.detector = detector;
        this.recognizer = recognizer;
    }

    public string Folder { get; }

    /// <summary>Every ONNX file of the folder in FaceAnalysis's (sorted) order, with what insightface makes of it.</summary>
    public IReadOnlyList<OnnxModelDescription> Models { get; }

    public OnnxModelDescription Detector => detector.Model;

    public OnnxModelDescription Recognizer => recognizer.Model;

    internal ArcFaceRecognizer Recognition => recognizer;

    /// <summary>The side of the aligned crop the recognition model takes (112 for ArcFace models).</summary>
    public int CropSize => recognizer.Size;

    /// <summary>
    /// Opens <paramref name="folder"/>'s <c>*.onnx</c> as FaceAnalysis does. <paramref name="options"/> go to every
    /// ONNX Runtime session (CPU when null; the caller may add CUDA). Fails, naming the folder or file, when there is
    /// no detector, no recognition model, a detector without keypoints, or a file insightface itself would fail on.
    /// </summary>
    public static IdentityModels Open(string folder, SessionOptions? options = null)
    {
        var loaded = Load(folder, options, keepSessions: true);
        try
        {
            var problem = loaded.FirstOrDefault(l => l.Model.Problem is not null).Model;
            if (problem is not null) throw new InvalidDataException($"{problem.Path}: {problem.Problem}");
            var names = string.Join(", ", loaded.Select(l => l.Model.FileName));
            var det = loaded.FirstOrDefault(l => l.Model.Kept && l.Model.Role == InsightFaceRole.Detection);
            var rec = loaded.FirstOrDefault(l => l.Model.Kept && l.Model.Role == InsightFaceRole.Recognition);
            if (det.Session is null)
                throw new InvalidDataException($"{folder}: no face detector among its ONNX files ({names}); insightface takes a model with 5 or more outputs for one");
            if (rec.Session is null)
                throw new InvalidDataException($"{folder}: no recognition model among its ONNX files ({names}); insightface takes a model with one square input of 112 or more, a multiple of 16, for one");
            var scrfd = new ScrfdDetector(det.Session, det.Model, DetectionSize);
            if (!scrfd.UsesKeypoints)
                throw new InvalidDataException($"{det.Model.Path}: the detector has no keypoint outputs ({det.Model.Outputs.Count} outputs), and ArcFace's crop needs its 5 keypoints");
            foreach (var other in loaded.Where(l => l.Session != det.Session && l.Session != rec.Session))
                other.Session?.Dispose();
            return new IdentityModels(folder, [.. loaded.Select(l => l.Model)], scrfd, new ArcFaceRecognizer(rec.Session, rec.Model));
        }
        catch
        {
            foreach (var l in loaded) l.Session?.Dispose();
            throw;
        }
    }

    /// <summary>What <see cref="Open"/> would make of each ONNX file of <paramref name="folder"/>, without failing on any.</summary>
    public static IReadOnlyList<OnnxModelDescription> Describe(string folder, SessionOptions? options = null) =>
        [.. Load(folder, options, keepSessions: false).Select(l => l.Model)];

    /// <summary>FaceAnalysis.get's detections, in its order (score descending after NMS), in the image's pixels.</summary>
    /// <param name="maxFaces">detect's max_num: 0 (FaceAnalysis's default) keeps all.</param>
    public IReadOnlyList<DetectedFace> Detect(RgbImage image, int maxFaces = 0) => detector.Detect(Checked(image, nameof(image)), maxFaces);

    /// <summary>The raw embedding (as <c>face.embedding</c>, not normalised) of <paramref name="face"/> in <paramref name="image"/>.</summary>
    public float[] Embed(RgbImage image, DetectedFace face) =>
        recognizer.Embed(Checked(image, nameof(image)), face.Keypoints ?? throw new ArgumentException("the face has no keypoints to align it by", nameof(face)));

    /// <summary>
    /// Hallo's identity: the raw embedding of the face with the largest box, or null when no face is found (Hallo
    /// then uses zeros(512)).
    /// </summary>
    public float[]? Embed(RgbImage portrait) => Largest(Detect(portrait)) is { } face ? Embed(portrait, face) : null;

    /// <summary>
    /// Hallo's choice: <c>sorted(faces, key=area, reverse=True)[0]</c>, the first of the largest float32 box areas.
    /// </summary>
    public static DetectedFace? Largest(IReadOnlyList<DetectedFace> faces)
    {
        DetectedFace? best = null;
        foreach (var face in faces)
        {
            if (best is null || face.Area > best.Area) best = face;
        }

        return best;
    }

    private static InferenceSession OpenSession(string file, SessionOptions? options)
    {
        try
        {
            return options is null ? new InferenceSession(file) : new InferenceSession(file, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{file}: ONNX Runtime cannot load it: {e.Message}", e);
        }
    }

    private static RgbImage Checked(RgbImage image, string name) =>
        image.Width > 0 && image.Height > 0 && image.Pixels.Length == image.Width * image.Height * 3
            ? image
            : throw new ArgumentException($"a {image.Width}×{image.Height} RGB image needs {image.Width * image.Height * 3} bytes, not {image.Pixels.Length}", name);

    public void Dispose()
    {
        detector.Dispose();
        recognizer.Dispose();
    }

    private static List<(OnnxModelDescription Model, InferenceSession? Session)> Load(string folder, SessionOptions? options, bool keepSessions)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{folder}: no such folder (insightface's FaceAnalysis reads the models from <root>/models/*.onnx)");
        // glob('*.onnx') skips hidden files; sorted() orders by code point.
        var files = Directory.EnumerateFiles(folder)
            .Where(p => Path.GetFileName(p) is var n && n.EndsWith(".onnx", StringComparison.Ordinal) && !n.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
        var tasks = new HashSet<string>(StringComparer.Ordinal);
        var loaded = new List<(OnnxModelDescription, InferenceSession?)>();
        try
        {
            foreach (var file in files)
            {
                var session = OpenSession(file, options);
                OnnxModelDescription model;
                try
                {
                    model = InsightFaceRouter.Describe(file, session);
                }
                catch
                {
                    session.Dispose();
                    throw;
                }

                model = model with { Kept = model.TaskName is { } task && model.Problem is null && tasks.Add(task) };
                var keep = keepSessions && model.Kept && model.Role is InsightFaceRole.Detection or InsightFaceRole.Recognition;
                if (!keep) session.Dispose();
                loaded.Add((model, keep ? session : null));
            }
        }
        catch
        {
            foreach (var (_, s) in loaded) s?.Dispose();
            throw;
        }

        return loaded;
    }
}
