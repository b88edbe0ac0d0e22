using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces.Landmarks;
using EmoFarm.Faces.Recognition;

namespace EmoFarm.Faces.Quality;

/// <summary>
/// The best face of each frame of a sequence, reduced to what the quality checks need: whether there is one, its
/// similarity to the reference identity, its mouth opening and its 68 points.
/// </summary>
public sealed class FaceTrack
{
    private FaceTrack(double[] identity, double[] mouth, double[]?[] points)
    {
        Identity = identity;
        MouthOpening = mouth;
        Points = points;
    }

    /// <summary>Cosine similarity to the reference per frame; NaN where no face was found.</summary>
    public IReadOnlyList<double> Identity { get; }

    /// <summary>Mouth opening per frame (see FaceLandmarks.MouthOpening); NaN where no face was found.</summary>
    public IReadOnlyList<double> MouthOpening { get; }

    /// <summary>68 points per frame as x0, y0, x1, y1, …; null where no face was found.</summary>
    public IReadOnlyList<double[]?> Points { get; }

    public int Frames => Points.Count;

    public double FaceShare => Frames == 0 ? 0 : Points.Count(p => p is not null) / (double)Frames;

    public double IdentityMean => Finite(Identity).DefaultIfEmpty(double.NaN).Average();

    public double IdentityMin => Finite(Identity).DefaultIfEmpty(double.NaN).Min();

    /// <summary>The median landmark step between consecutive frames, in face sizes.</summary>
    public double Motion => LandmarkMotion.Median(LandmarkMotion.Steps(Points));

    /// <param name="reference">The identity to compare with; null to skip identity (Identity is then all NaN).</param>
    public static FaceTrack Measure(FaceAnalyzer analyzer, float[]? reference, IEnumerable<RgbImage> frames, double minScore)
    {
        var (identity, mouth, tracks) = (new List<double>(), new List<double>(), new List<double[]?>());
        foreach (var frame in frames)
        {
            // Without a reference the identity is not wanted: landmarks alone spare the recognition net.
            FaceLandmarks? points;
            var similarity = double.NaN;
            if (reference is null)
            {
                points = analyzer.LandmarksOfBest(frame, minScore);
            }
            else
            {
                var face = analyzer.AnalyseBest(frame, minScore);
                points = face?.Landmarks;
                if (face is not null) similarity = FaceEmbedder.CosineSimilarity(reference, face.Descriptor);
            }

            identity.Add(similarity);
            mouth.Add(points?.MouthOpening ?? double.NaN);
            tracks.Add(points is null ? null : [.. points.Points.SelectMany(p => new[] { p.X, p.Y })]);
        }

        return new FaceTrack([.. identity], [.. mouth], [.. tracks]);
    }

    private static IEnumerable<double> Finite(IEnumerable<double> values) => values.Where(double.IsFinite);
}
