namespace EmoFarm.Faces.Identity;

/// <summary>
/// <c>cv2.dnn.blobFromImage(bgr, 1 / std, size, (mean, mean, mean), swapRB=True)</c> for an image already at
/// <c>size</c>: planar R, G, B of <c>(v − mean) · float(1 / std)</c> in float32, as OpenCV computes it (checked
/// bit for bit by tests/parity/insightface_reference.py). insightface hands OpenCV BGR and swaps it back, so an RGB
/// image maps straight to the channel order the models see.
/// </summary>
internal static class NchwBlob
{
    public static float[] FromRgb(ReadOnlySpan<byte> rgb, int width, int height, double mean, double std)
    {
        var plane = width * height;
        var blob = new float[3 * plane];
        var (m, scale) = ((float)mean, (float)(1.0 / std));
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
                blob[(c * plane) + i] = (rgb[(i * 3) + c] - m) * scale;
        }

        return blob;
    }
}
