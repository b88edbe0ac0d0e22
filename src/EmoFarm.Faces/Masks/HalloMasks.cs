using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces.Imaging;
using EmoFarm.Faces.Landmarks;

namespace EmoFarm.Faces.Masks;

/// <summary>
/// Hallo's face-locator mask and audio-attention region masks from MediaPipe face-mesh landmarks, byte for byte
/// as Hallo 8fd7c57 computes them (<c>hallo.utils.util.get_mask</c> with OpenCV 4.6, then
/// <c>ImageProcessor</c>'s torchvision 0.14 transforms with Pillow 9.4).
/// </summary>
public static class HalloMasks
{
    /// <summary>Hallo's <c>face_expand_ratio</c> in configs/inference/default.yaml.</summary>
    public const double DefaultFaceExpandRatio = 1.2;

    /// <summary>get_lip_mask's fixed expand ratio.</summary>
    public const double LipExpandRatio = 2.0;

    /// <summary>The MediaPipe face mesh's point count; FaceLandmarker v2 adds 10 iris points (478).</summary>
    public const int MinimumLandmarks = 468;

    /// <summary>The largest portrait side accepted, in pixels.</summary>
    public const int MaxPortraitSide = 16384;

    /// <summary>The largest model image size accepted (Hallo renders at 512).</summary>
    public const int MaxImageSize = 4096;

    /// <summary>The largest face_expand_ratio accepted.</summary>
    public const double MaxFaceExpandRatio = 100;

    /// <summary>How far outside the portrait a landmark may lie, in pixels (MediaPipe's stay within about one image).</summary>
    public const double MaxLandmarkOffset = 1 << 20;

    /// <summary>The blurred masks' size (get_blur_mask's resize_dim).</summary>
    public const int BlurSize = 64;

    /// <summary>
    /// Computes the masks for a <paramref name="width"/>×<paramref name="height"/> portrait.
    /// </summary>
    /// <param name="landmarks">At least 468 points in MediaPipe face-mesh order, in portrait pixels (x right, y
    /// down), as Hallo's compute_face_landmarks gives them: MediaPipe's normalised x·width and y·height, in double.</param>
    /// <param name="width">The portrait's width in pixels.</param>
    /// <param name="height">The portrait's height in pixels.</param>
    /// <param name="faceExpandRatio">How much the face box is enlarged (Hallo's face_expand_ratio).</param>
    /// <param name="imageSize">The model's square image size S, a multiple of 64 (Hallo: 512).</param>
    public static HalloMaskSet Compute(IReadOnlyList<FacePoint> landmarks, int width, int height,
        double faceExpandRatio = DefaultFaceExpandRatio, int imageSize = 512)
    {
        Validate(landmarks, width, height, faceExpandRatio, imageSize);

        var lipRegion = HalloRegion.Expand(landmarks, HalloRegion.LipIds, width, height, LipExpandRatio);
        var faceRegion = HalloRegion.Expand(landmarks, HalloRegion.SilhouetteIds, width, height, faceExpandRatio);
        var lipMask = HalloRegion.Render(lipRegion, width, height);
        var faceMask = HalloRegion.Render(faceRegion, width, height);

        var faceBlur = BlurMask(faceMask, 51);
        var sepLip = BlurMask(lipMask, 31);
        var background = Map(faceBlur, v => (byte)((1.0 - (v / 255.0)) * 255));   // get_background_mask: astype truncates
        var sepFace = new GrayImage(BlurSize, BlurSize, [.. faceBlur.Pixels.Zip(sepLip.Pixels, (a, b) => (byte)Math.Max(0, a - b))]);

        return new HalloMaskSet
        {
            LipRegion = lipRegion,
            FaceRegion = faceRegion,
            LipMask = lipMask,
            FaceMask = faceMask,
            FaceMaskBlur = faceBlur,
            SepLip = sepLip,
            SepBackground = background,
            SepFace = sepFace,
            FaceLocator = ToTensor(PilBilinear.Resize(faceMask, imageSize, imageSize)),
            Masks = new RegionMasks(Levels(background, imageSize), Levels(sepFace, imageSize), Levels(sepLip, imageSize)),
        };
    }

    // blur_mask: cv2.resize to 64×64, cv2.GaussianBlur(k×k, sigma 0), cv2.normalize(0, 255, NORM_MINMAX).
    private static GrayImage BlurMask(GrayImage mask, int kernel) =>
        OpenCvNormalize.MinMax(OpenCvGaussianBlur.Blur(new GrayImage(BlurSize, BlurSize, OpenCvResize.Linear(mask.Pixels, mask.Width, mask.Height, BlurSize, BlurSize, channels: 1)), kernel));

    // attn_transform_64/32/16/8: Resize((S/8, S/8)) … Resize((S/64, S/64)) of the 64×64 PNG, then ToTensor.
    private static IReadOnlyList<float[]> Levels(GrayImage mask, int imageSize) =>
        [.. Enumerable.Range(0, 4).Select(i => ToTensor(PilBilinear.Resize(mask, imageSize / (8 << i), imageSize / (8 << i))))];

    // torchvision's ToTensor on a uint8 image: float32 of the byte, divided by 255 in float32.
    private static float[] ToTensor(GrayImage image) => [.. image.Pixels.Select(b => b / 255f)];

    private static GrayImage Map(GrayImage image, Func<byte, byte> f) => new(image.Width, image.Height, [.. image.Pixels.Select(f)]);

    private static void Validate(IReadOnlyList<FacePoint> landmarks, int width, int height, double faceExpandRatio, int imageSize)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        if (landmarks.Count < MinimumLandmarks)
            throw new ArgumentException($"landmarks: {landmarks.Count} points, at least {MinimumLandmarks} (MediaPipe's face mesh) are needed", nameof(landmarks));
        if (width < 1 || width > MaxPortraitSide)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"width must be 1..{MaxPortraitSide} pixels");
        if (height < 1 || height > MaxPortraitSide)
            throw new ArgumentOutOfRangeException(nameof(height), height, $"height must be 1..{MaxPortraitSide} pixels");
        if (!double.IsFinite(faceExpandRatio) || faceExpandRatio <= 0 || faceExpandRatio > MaxFaceExpandRatio)
            throw new ArgumentOutOfRangeException(nameof(faceExpandRatio), faceExpandRatio, $"faceExpandRatio must be above 0 and at most {MaxFaceExpandRatio}");
        if (imageSize < 64 || imageSize > MaxImageSize || imageSize % 64 != 0)
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, $"imageSize must be a multiple of 64 from 64 to {MaxImageSize}");
        foreach (var id in HalloRegion.SilhouetteIds.Concat(HalloRegion.LipIds))
        {
            var p = landmarks[id];
            if (!Near(p.X, width) || !Near(p.Y, height))
                throw new ArgumentException($"landmarks[{id}] = ({p.X}, {p.Y}) is not finite or lies more than {MaxLandmarkOffset} pixels outside the {width}×{height} portrait", nameof(landmarks));
        }

        static bool Near(double v, int size) => double.IsFinite(v) && v >= -MaxLandmarkOffset && v <= size + MaxLandmarkOffset;
    }
}
