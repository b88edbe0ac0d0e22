using EmoFarm.Contracts.Rendering;

namespace EmoFarm.Faces.Masks;

/// <summary>
/// Everything Hallo's <c>get_mask</c> and <c>ImageProcessor.preprocess</c> derive from one portrait's landmarks:
/// the PNG intermediates it writes to its cache folder (as the bytes it reads back), and the tensors it renders with.
/// </summary>
public sealed record HalloMaskSet
{
    /// <summary>The lip box (expand ratio 2.0), in portrait pixels.</summary>
    public required MaskRegion LipRegion { get; init; }

    /// <summary>The face box (face_expand_ratio), in portrait pixels.</summary>
    public required MaskRegion FaceRegion { get; init; }

    /// <summary><c>{name}_lip_mask.png</c>: the lip box at the portrait's size, 0 or 255.</summary>
    public required GrayImage LipMask { get; init; }

    /// <summary><c>{name}_face_mask.png</c>: the face box at the portrait's size, 0 or 255.</summary>
    public required GrayImage FaceMask { get; init; }

    /// <summary><c>{name}_face_mask_blur.png</c>: the face mask at 64×64, blurred (kernel 51) and min-max normalised.</summary>
    public required GrayImage FaceMaskBlur { get; init; }

    /// <summary><c>{name}_sep_lip.png</c>: the lip mask at 64×64, blurred (kernel 31) and min-max normalised.</summary>
    public required GrayImage SepLip { get; init; }

    /// <summary><c>{name}_sep_background.png</c>: the inverse of <see cref="FaceMaskBlur"/> (truncated, so 0 becomes 255 and 255 becomes 0).</summary>
    public required GrayImage SepBackground { get; init; }

    /// <summary><c>{name}_sep_face.png</c>: <see cref="FaceMaskBlur"/> minus <see cref="SepLip"/>, saturated at 0.</summary>
    public required GrayImage SepFace { get; init; }

    /// <summary>
    /// The face locator's input, Hallo's <c>cond_transform</c> of the face mask: S×S values in [0, 1] at the model
    /// image size S, row-major. Hallo's tensor is [3, S, S] with three identical channels (a gray PNG converted
    /// to RGB); this is one of them, which is what <see cref="PortraitConditioning.FaceMask"/> takes.
    /// </summary>
    public required float[] FaceLocator { get; init; }

    /// <summary>
    /// The audio attention's region masks, <c>pixel_values_{full,face,lip}_mask</c>: level i is
    /// (S/8 ≫ i)² values (Hallo's attn_transform_64/32/16/8 at S = 512), row-major, in [0, 1]. Full is the
    /// background mask, Face the face without the lips, Lip the lips.
    /// </summary>
    public required RegionMasks Masks { get; init; }

    /// <summary>The conditioning a render takes: this face locator input and these region masks, with an optional identity embedding.</summary>
    public PortraitConditioning ToConditioning(float[]? faceEmbedding = null) =>
        new() { FaceEmbedding = faceEmbedding, FaceMask = FaceLocator, Masks = Masks };
}
