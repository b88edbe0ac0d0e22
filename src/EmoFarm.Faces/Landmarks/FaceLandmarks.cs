namespace EmoFarm.Faces.Landmarks;

/// <summary>
/// The 68 facial landmarks of one face in image pixels, in dlib's iBUG-68 order (0-based: 0–16 jaw, 17–26 brows,
/// 27–35 nose, 36–41 and 42–47 the eyes, 48–59 outer lips, 60–67 inner lips).
/// </summary>
public sealed class FaceLandmarks
{
    public const int Count = 68;

    // face-api's dlib alignment: the face square is 1/0.45 of the eye-to-mouth distance, with the landmarks'
    // centre at 50 % of its width and 43 % of its height.
    private const double RelX = 0.5;
    private const double RelY = 0.43;
    private const double RelScale = 0.45;

    // The size of the crop the net saw. face-api bounds the aligned box's size by it (a no-op for any real face),
    // so it is kept to reproduce the box exactly; landmarks built from bare points have no such bound.
    private readonly double cropWidth;
    private readonly double cropHeight;

    public FaceLandmarks(IReadOnlyList<FacePoint> points)
        : this(points, double.PositiveInfinity, double.PositiveInfinity)
    {
    }

    internal FaceLandmarks(IReadOnlyList<FacePoint> points, double cropWidth, double cropHeight)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count != Count) throw new ArgumentException($"{Count} points expected, got {points.Count}", nameof(points));
        Points = [.. points];
        this.cropWidth = cropWidth;
        this.cropHeight = cropHeight;
        MouthOpening = ComputeMouthOpening();
    }

    public IReadOnlyList<FacePoint> Points { get; }

    public FacePoint LeftEyeCentre => Centre(36, 6);

    public FacePoint RightEyeCentre => Centre(42, 6);

    public FacePoint MouthCentre => Centre(48, 20);

    /// <summary>
    /// How far the lips part, relative to the face's size:
    /// <c>mean(|p61 − p67|, |p62 − p66|, |p63 − p65|) / |mouth centre − eye centre|</c>, where p are the 0-based inner
    /// lip points (61–63 upper, 67–65 the lower ones facing them), the eye centre is the midpoint of the two eyes'
    /// centres (means of 36–41 and 42–47) and the mouth centre the mean of 48–67. About 0 for a closed mouth and
    /// growing as it opens; dividing by the eye-to-mouth distance makes it independent of the face's size in the
    /// image (and, unlike the box width, of yaw).
    /// </summary>
    public double MouthOpening { get; }

    /// <summary>
    /// The square face-api's recognition net crops: <c>landmarks.align(null, { useDlibAlignment: true })</c>, with
    /// its flooring, so that the same pixels are cropped.
    /// </summary>
    public FaceBox AlignedBox()
    {
        FacePoint[] centres = [LeftEyeCentre, RightEyeCentre, MouthCentre];
        var mouth = centres[2];
        var eyeToMouth = (mouth.DistanceTo(centres[0]) + mouth.DistanceTo(centres[1])) / 2;
        var size = Math.Floor(eyeToMouth / RelScale);
        var reference = Mean(centres);
        var x = Math.Floor(Math.Max(0, reference.X - (RelX * size)));
        var y = Math.Floor(Math.Max(0, reference.Y - (RelY * size)));
        return new FaceBox(x, y, Math.Min(size, cropWidth + x), Math.Min(size, cropHeight + y));
    }

    private double ComputeMouthOpening()
    {
        var gap = (Points[61].DistanceTo(Points[67]) + Points[62].DistanceTo(Points[66]) + Points[63].DistanceTo(Points[65])) / 3;
        var eyes = new FacePoint((LeftEyeCentre.X + RightEyeCentre.X) / 2, (LeftEyeCentre.Y + RightEyeCentre.Y) / 2);
        var size = eyes.DistanceTo(MouthCentre);
        return size > 0 ? gap / size : 0;
    }

    private FacePoint Centre(int start, int count) => Mean(Points.Skip(start).Take(count).ToArray());

    // Summed in order from zero, then divided, as face-api's getCenterPoint does, so the floors above agree.
    private static FacePoint Mean(FacePoint[] points)
    {
        double x = 0, y = 0;
        foreach (var p in points)
        {
            x += p.X;
            y += p.Y;
        }

        return new FacePoint(x / points.Length, y / points.Length);
    }
}
