using EmoFarm.Faces;

namespace EmoFarm.Farm.Submission;

/// <summary>The client's say in how the portrait is framed (proto <c>Framing</c>).</summary>
/// <param name="FaceBox">The face to frame, in the uploaded image's pixels; null to detect it.</param>
/// <param name="LargestFace">With several faces and no box, take the largest rather than refuse.</param>
/// <param name="Expand">The crop's shorter side over the face box's longer side; null for Faces:Expand.</param>
public sealed record FramingRequest(FaceBox? FaceBox, bool LargestFace, double? Expand)
{
    public static FramingRequest Default { get; } = new(null, false, null);
}
