using EmoFarm.Faces.Landmarks;

namespace EmoFarm.Faces.Mesh;

/// <summary>
/// The face's vertical axis, from a point low on it to one higher up, in image pixels: what human rotates a face
/// upright by. Human takes it from blazeface's mouth and nose keypoints (or, from a mesh, point 13, the inner upper
/// lip, and point 168, between the eyes: <see cref="FaceMeshResult.SymmetryLine"/>).
/// </summary>
public readonly record struct SymmetryLine(FacePoint Lower, FacePoint Upper)
{
    /// <summary>
    /// Human's <c>computeRotation(lower, upper)</c>: how far the line leans clockwise from upright as the image is
    /// seen (y down), in radians, normalised to [-π, π).
    /// </summary>
    public double Angle
    {
        get
        {
            var angle = (Math.PI / 2) - Math.Atan2(-(Upper.Y - Lower.Y), Upper.X - Lower.X);
            return angle - (2 * Math.PI * Math.Floor((angle + Math.PI) / (2 * Math.PI)));
        }
    }
}
