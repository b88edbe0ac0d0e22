using EmoFarm.Faces.Landmarks;

namespace EmoFarm.Faces.Mesh;

/// <summary>
/// One face's mesh: <see cref="FaceMesh.PointCount"/> landmarks in MediaPipe's face-mesh topology (the indices
/// Hallo's <c>silhouette_ids</c> and <c>lip_ids</c> name), in image pixels.
/// </summary>
/// <param name="Points">The 468 landmarks, in MediaPipe's order.</param>
/// <param name="Confidence">The mesh's face flag (sigmoid, 0..1): how sure it is the crop holds a face. Human drops
/// faces below its <c>face.detector.minConfidence</c> (0.2 by default; it rounds the flag to 2 decimals first).</param>
/// <param name="Crop">Where the mesh looked.</param>
/// <param name="Model">Which landmark model made them (<see cref="FaceMesh.ModelName"/>).</param>
public sealed record FaceMeshResult(IReadOnlyList<MeshPoint> Points, double Confidence, FaceMeshCrop Crop, string Model)
{
    /// <summary>Human's symmetry line on a mesh: point 13 (inner upper lip) to point 168 (between the eyes).</summary>
    public SymmetryLine SymmetryLine => new(Point(13), Point(168));

    /// <summary>Landmark <paramref name="index"/> in image pixels, without its depth.</summary>
    public FacePoint Point(int index) => new(Points[index].X, Points[index].Y);
}
