namespace EmoFarm.Faces.Mesh;

/// <summary>
/// The face-mesh graph's raw outputs for a batch of <see cref="Count"/> inputs, each row-major per input.
/// </summary>
/// <param name="Mesh">[count, 1404]: <c>output_mesh</c>, 468 (x, y, z) in the 192-pixel input's units.</param>
/// <param name="FaceFlag">[count]: <c>output_faceflag</c>, the sigmoid face confidence.</param>
/// <param name="Contours">[count, 266]: <c>output_contours</c>, 133 (x, y) that human does not use.</param>
public sealed record FaceMeshOutput(int Count, float[] Mesh, float[] FaceFlag, float[] Contours);
