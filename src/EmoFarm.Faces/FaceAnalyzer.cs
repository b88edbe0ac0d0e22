using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces.Detection;
using EmoFarm.Faces.Landmarks;
using EmoFarm.Faces.Recognition;
using static TorchSharp.torch;

namespace EmoFarm.Faces;

/// <summary>
/// Detection, landmarks and identity together, as face-api's <c>detectAllFaces().withFaceLandmarks()
/// .withFaceDescriptors()</c> chains them. One caller at a time: the nets share no state, but a render's frames are
/// analysed in order and a lock is cheaper to reason about than per-thread models.
/// </summary>
public sealed class FaceAnalyzer : IDisposable
{
    private readonly FaceDetector detector;
    private readonly LandmarkDetector landmarks;
    private readonly FaceEmbedder embedder;
    private readonly Lock gate = new();

    private FaceAnalyzer(FaceDetector detector, LandmarkDetector landmarks, FaceEmbedder embedder)
    {
        this.detector = detector;
        this.landmarks = landmarks;
        this.embedder = embedder;
    }

    /// <param name="modelFolder">face-api's <c>model/</c> folder (scripts/install-face-api.sh prints it).</param>
    public static FaceAnalyzer Load(string modelFolder, Device? device = null)
    {
        var detector = FaceDetector.Load(modelFolder, device);
        var landmarks = LandmarkDetector.Load(modelFolder, device);
        var embedder = FaceEmbedder.Load(modelFolder, device);
        return new FaceAnalyzer(detector, landmarks, embedder);
    }

    public IReadOnlyList<FaceDetection> Detect(RgbImage image, double minScore)
    {
        lock (gate) return detector.Detect(image, minScore);
    }

    /// <summary>Every face above <paramref name="minScore"/>, best first, with landmarks and descriptor.</summary>
    public IReadOnlyList<FaceObservation> Analyse(RgbImage image, double minScore)
    {
        lock (gate)
        {
            var faces = detector.Detect(image, minScore);
            if (faces.Count == 0) return [];
            var points = landmarks.Detect(image, [.. faces.Select(f => f.Box)]);
            var descriptors = embedder.Describe(image, [.. points.Select(p => p.AlignedBox())]);
            return [.. faces.Select((f, i) => new FaceObservation(f.Box, f.Score, points[i], descriptors[i]))];
        }
    }

    /// <summary>The best-scoring face with its landmarks and descriptor, or null when there is none.</summary>
    public FaceObservation? AnalyseBest(RgbImage image, double minScore)
    {
        lock (gate)
        {
            var faces = detector.Detect(image, minScore);
            if (faces.Count == 0) return null;
            return Describe(image, faces[0].Box, faces[0].Score);
        }
    }

    /// <summary>
    /// The best-scoring face's landmarks only, or null when there is none: for checks that need no identity, so
    /// the recognition net is not run.
    /// </summary>
    public FaceLandmarks? LandmarksOfBest(RgbImage image, double minScore)
    {
        lock (gate)
        {
            var faces = detector.Detect(image, minScore);
            return faces.Count == 0 ? null : landmarks.Detect(image, faces[0].Box);
        }
    }

    /// <summary>Landmarks and descriptor of a face whose box is already known (a client's override).</summary>
    public FaceObservation Describe(RgbImage image, FaceBox box, double score = 1)
    {
        lock (gate)
        {
            var points = landmarks.Detect(image, box);
            return new FaceObservation(box, score, points, embedder.Describe(image, points.AlignedBox()));
        }
    }

    public void Dispose()
    {
        detector.Dispose();
        landmarks.Dispose();
        embedder.Dispose();
    }
}
