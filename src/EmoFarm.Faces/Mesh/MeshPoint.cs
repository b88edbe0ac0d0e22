namespace EmoFarm.Faces.Mesh;

/// <summary>
/// One face-mesh landmark: <see cref="X"/> and <see cref="Y"/> in image pixels (x right, y down, origin at the
/// top-left corner); <see cref="Z"/> the net's relative depth as human reports it, in the units of the 192-pixel
/// crop (smaller is nearer the camera), not rescaled to the image.
/// </summary>
public readonly record struct MeshPoint(double X, double Y, double Z);
