namespace EmoFarm.Faces.Landmarks;

/// <summary>
/// Where one face's net input comes from, and how the net's 136 outputs map back into the image: face-api's
/// <c>extractFaceTensors</c> crop and its <c>FaceLandmark68NetBase.postProcess</c> plus <c>FaceLandmarks.shiftBy</c>.
/// </summary>
internal sealed record LandmarkCrop(FaceBox Detection, FaceBox Region)
{
    /// <exception cref="ArgumentOutOfRangeException">No pixel of the box lies inside the image.</exception>
    public static LandmarkCrop For(int imageWidth, int imageHeight, FaceBox detection)
    {
        // face-api re-derives the box for the image through its relative form (detection.forSize) before it clips
        // and floors it; the round trip can move an integral edge by an ulp, and so the floor by a pixel.
        var (sx, sy) = (1.0 / imageWidth, 1.0 / imageHeight);
        var resized = new FaceBox(detection.X * sx * imageWidth, detection.Y * sy * imageHeight,
            detection.Width * sx * imageWidth, detection.Height * sy * imageHeight);
        var region = resized.ClipToImage(imageWidth, imageHeight);
        if (region.Width <= 0 || region.Height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(detection), detection,
                $"the face box has no pixels inside the {imageWidth}×{imageHeight} image");
        }

        return new LandmarkCrop(detection, region);
    }

    /// <param name="output">The net's 136 outputs for this face: x, y pairs relative to the padded square.</param>
    public FaceLandmarks ToLandmarks(ReadOnlySpan<float> output)
    {
        var (width, height) = (Region.Width, Region.Height);
        // The crop was centred in a square and resized to 112; undo the padding on the short side, then the scale.
        // In float32, as face-api's tensors compute it.
        var scale = FaceLandmark68Net.InputSize / Math.Max(width, height);
        var (inputWidth, inputHeight) = (width * scale, height * scale);
        var padX = (float)(inputWidth < inputHeight ? Math.Abs(inputWidth - inputHeight) / 2 : 0);
        var padY = (float)(inputHeight < inputWidth ? Math.Abs(inputWidth - inputHeight) / 2 : 0);
        var points = new FacePoint[FaceLandmarks.Count];
        for (var i = 0; i < points.Length; i++)
        {
            var relativeX = ((output[2 * i] * FaceLandmark68Net.InputSize) - padX) / (float)inputWidth;
            var relativeY = ((output[(2 * i) + 1] * FaceLandmark68Net.InputSize) - padY) / (float)inputHeight;
            points[i] = new FacePoint(Shift(relativeX, width, Detection.X), Shift(relativeY, height, Detection.Y));
        }

        return new FaceLandmarks(points, width, height);
    }

    // face-api scales to the crop, then shiftBy re-derives the relative position and adds the offset; the round
    // trip is kept so the results match to the last bit. The offset is the detection's unclipped, unfloored corner,
    // not the crop's: face-api's own off-by-the-fraction (and, for a box over the left or top edge, off-by-the-
    // overhang) placement, reproduced because callers compare with it.
    private static double Shift(float relative, double size, double offset) => (relative * size / size * size) + offset;
}
