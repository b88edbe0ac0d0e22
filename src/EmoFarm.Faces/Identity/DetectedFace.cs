using System.Numerics;

namespace EmoFarm.Faces.Identity;

/// <summary>
/// One face as insightface's detector returns it, in pixels of the image given to it (x right, y down, origin at
/// the top-left corner): the box corners (x1, y1)–(x2, y2), the detection score, and the five keypoints (left eye,
/// right eye, nose, left and right mouth corners, as the detector was trained) or null for a detector without them.
/// The values are float32, exactly as numpy holds them.
/// </summary>
public sealed record DetectedFace(float X1, float Y1, float X2, float Y2, float Score, IReadOnlyList<Vector2>? Keypoints)
{
    /// <summary>(x2 − x1)·(y2 − y1) in float32, the key Hallo sorts faces by.</summary>
    public float Area => (X2 - X1) * (Y2 - Y1);
}
