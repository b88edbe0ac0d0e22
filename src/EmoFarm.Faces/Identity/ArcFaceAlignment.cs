using System.Numerics;

namespace EmoFarm.Faces.Identity;

/// <summary>
/// insightface's <c>face_align.estimate_norm</c> and <c>norm_crop</c>: the similarity transform that puts five
/// keypoints on ArcFace's 112×112 template (scikit-image's <c>SimilarityTransform.estimate</c>, Umeyama's least
/// squares), then <c>cv2.warpAffine</c>.
/// </summary>
/// <remarks>
/// scikit-image runs Umeyama in the keypoints' dtype, float32, through LAPACK's SVD; this solves the same least
/// squares in closed form in float64. The two matrices differ by about 1e-5 (mostly in the translation), which
/// moves a few of the 12544 crop pixels by a level or two; the crop is otherwise bit-exact.
/// </remarks>
internal static class ArcFaceAlignment
{
    // arcface_dst, float32 as insightface declares it.
    private static readonly float[] Template =
        [38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f, 92.2041f];

    /// <summary>The 2×3 matrix (row-major) mapping image pixels onto the template at <paramref name="imageSize"/>.</summary>
    public static double[] EstimateNorm(IReadOnlyList<Vector2> keypoints, int imageSize)
    {
        if (keypoints.Count != 5) throw new ArgumentException($"norm_crop needs 5 keypoints, not {keypoints.Count}", nameof(keypoints));
        if (imageSize % 112 != 0 && imageSize % 128 != 0)
            throw new ArgumentException($"norm_crop asserts a size divisible by 112 or 128, not {imageSize}", nameof(imageSize));
        // dst = arcface_dst * ratio (float32), then dst[:, 0] += diff_x (float32).
        var (ratio, diffX) = imageSize % 112 == 0 ? (imageSize / 112.0, 0.0) : (imageSize / 128.0, 8.0 * (imageSize / 128.0));
        var dst = new double[10];
        for (var i = 0; i < 10; i++)
        {
            var v = Template[i] * (float)ratio;
            dst[i] = i % 2 == 0 ? v + (float)diffX : v;
        }

        return Umeyama(keypoints, dst);
    }

    public static byte[] NormCrop(ReadOnlySpan<byte> rgb, int width, int height, IReadOnlyList<Vector2> keypoints, int imageSize) =>
        OpenCvWarpAffine.Linear(rgb, width, height, EstimateNorm(keypoints, imageSize), imageSize, imageSize);

    // The least-squares similarity (rotation, uniform scale, translation) from src to dst. For 2×2 Umeyama's
    // U·diag(d)·Vᵀ is the rotation by atan2(a10 − a01, a00 + a11) and trace(S·d) = hypot(a00 + a11, a10 − a01).
    private static double[] Umeyama(IReadOnlyList<Vector2> src, double[] dst)
    {
        double sx = 0, sy = 0, dx = 0, dy = 0;
        for (var i = 0; i < 5; i++) (sx, sy, dx, dy) = (sx + src[i].X, sy + src[i].Y, dx + dst[2 * i], dy + dst[(2 * i) + 1]);
        (sx, sy, dx, dy) = (sx / 5, sy / 5, dx / 5, dy / 5);
        double a00 = 0, a01 = 0, a10 = 0, a11 = 0, variance = 0;
        for (var i = 0; i < 5; i++)
        {
            var (px, py) = (src[i].X - sx, src[i].Y - sy);
            var (qx, qy) = (dst[2 * i] - dx, dst[(2 * i) + 1] - dy);
            (a00, a01, a10, a11) = (a00 + (qx * px), a01 + (qx * py), a10 + (qy * px), a11 + (qy * py));
            variance += (px * px) + (py * py);
        }

        var (p, q) = (a00 + a11, a10 - a01);
        var r = Math.Sqrt((p * p) + (q * q));
        if (r == 0 || variance == 0)
        {
            // scikit-image returns NaN for coincident points; cv2.warpAffine (and OpenCvWarpAffine) maps NaN on.
            return [double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN];
        }

        var scale = r / variance;
        var (cos, sin) = (p / r * scale, q / r * scale);
        return [cos, -sin, dx - ((cos * sx) - (sin * sy)), sin, cos, dy - ((sin * sx) + (cos * sy))];
    }
}
