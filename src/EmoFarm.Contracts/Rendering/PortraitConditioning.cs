namespace EmoFarm.Contracts.Rendering;

/// <summary>
/// What Hallo computes from the portrait before it renders: the identity embedding, the face locator's mask and the
/// three region masks of its audio attention. The model takes them as they are; computing them is the caller's job.
/// </summary>
public sealed record PortraitConditioning
{
    /// <summary>The raw identity embedding (512 wide for Hallo's ArcFace); null renders as Hallo does without a face: zeros.</summary>
    public float[]? FaceEmbedding { get; init; }

    /// <summary>The face locator's input: H×W values in [0, 1], row-major, at the render's size (Hallo's image size); null uses the face region box.</summary>
    public float[]? FaceMask { get; init; }

    /// <summary>
    /// Region masks per UNet level: level i is (h ≫ i)×(w ≫ i) of the latent grid, row-major, values in [0, 1].
    /// Null attends over the whole frame on every branch.
    /// </summary>
    public RegionMasks? Masks { get; init; }
}
