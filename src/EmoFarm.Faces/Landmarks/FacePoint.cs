namespace EmoFarm.Faces.Landmarks;

/// <summary>A point in image pixels (x right, y down).</summary>
public readonly record struct FacePoint(double X, double Y)
{
    public double DistanceTo(FacePoint other) => Math.Sqrt(((X - other.X) * (X - other.X)) + ((Y - other.Y) * (Y - other.Y)));
}
