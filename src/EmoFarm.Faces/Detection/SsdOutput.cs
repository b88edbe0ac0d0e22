namespace EmoFarm.Faces.Detection;

/// <summary>
/// face-api's SSD post-processing on the host: decode the box offsets against the anchors, take the face class's
/// sigmoid as the score, suppress overlaps, and map the survivors to image pixels. Each step rounds where
/// TensorFlow.js's CPU kernels round (every tensor op stores float32; JavaScript arithmetic is double), so the
/// boxes match face-api's bit for bit given the same network outputs.
/// </summary>
internal static class SsdOutput
{
    /// <summary>Decodes (ty, tx, th, tw) offsets against (ymin, xmin, ymax, xmax) anchors, both flattened by 4.</summary>
    /// <returns>(ymin, xmin, ymax, xmax) per anchor, relative to the square network input.</returns>
    public static float[] DecodeBoxes(ReadOnlySpan<float> anchors, ReadOnlySpan<float> encodings)
    {
        if (anchors.Length != encodings.Length) throw new ArgumentException($"{encodings.Length / 4} encodings for {anchors.Length / 4} anchors");
        var boxes = new float[anchors.Length];
        for (var i = 0; i < anchors.Length; i += 4)
        {
            var height = anchors[i + 2] - anchors[i];
            var width = anchors[i + 3] - anchors[i + 1];
            var centreY = anchors[i] + (height / 2);
            var centreX = anchors[i + 1] + (width / 2);
            // The SSD box coder's scales: 10 for the centre, 5 for the log size.
            var halfHeight = Exp(encodings[i + 2] / 5) * height / 2;
            var halfWidth = Exp(encodings[i + 3] / 5) * width / 2;
            var y = (encodings[i] / 10 * height) + centreY;
            var x = (encodings[i + 1] / 10 * width) + centreX;
            boxes[i] = y - halfHeight;
            boxes[i + 1] = x - halfWidth;
            boxes[i + 2] = y + halfHeight;
            boxes[i + 3] = x + halfWidth;
        }

        return boxes;
    }

    /// <summary>The face score of each anchor: the sigmoid of logit 1 of (background, face, unused).</summary>
    public static float[] Scores(ReadOnlySpan<float> logits)
    {
        var scores = new float[logits.Length / 3];
        for (var i = 0; i < scores.Length; i++) scores[i] = (float)(1 / (1 + Math.Exp(-(double)logits[(3 * i) + 1])));
        return scores;
    }

    /// <summary>
    /// face-api's greedy suppression: candidates above <paramref name="minScore"/>, best first (ties keep anchor
    /// order, as JavaScript's stable sort does), each kept unless it overlaps a kept one by more than
    /// <paramref name="iouThreshold"/>.
    /// </summary>
    /// <returns>Indices of the kept anchors, best first.</returns>
    public static List<int> NonMaxSuppression(float[] boxes, float[] scores, int maxResults, double iouThreshold, double minScore)
    {
        var outputSize = Math.Min(maxResults, scores.Length);
        var candidates = Enumerable.Range(0, scores.Length).Where(i => scores[i] > minScore).OrderByDescending(i => scores[i]);
        var kept = new List<int>();
        foreach (var candidate in candidates)
        {
            if (kept.Count >= outputSize) break;
            var suppressed = false;
            for (var j = kept.Count - 1; j >= 0 && !suppressed; j--)
            {
                // Written as face-api's test is, so that a NaN overlap suppresses as it does there.
                suppressed = !(IoU(boxes, candidate, kept[j]) <= iouThreshold);
            }

            if (!suppressed) kept.Add(candidate);
        }

        return kept;
    }

    /// <summary>
    /// Maps a box relative to the padded square input back to image pixels as face-api does. The image was padded
    /// at the bottom or right, so the box is scaled by input size / the image's size inside the input (rounded to
    /// whole pixels, as face-api computes it), then by the image size; only the padded square's edges clip it.
    /// </summary>
    /// <returns>The box, or null where it lies wholly outside (face-api throws on its negative size).</returns>
    public static FaceBox? ToImageBox(ReadOnlySpan<float> box, int imageWidth, int imageHeight, int inputSize)
    {
        var scale = (double)inputSize / Math.Max(imageWidth, imageHeight);
        var padX = inputSize / Math.Round(imageWidth * scale, MidpointRounding.AwayFromZero);
        var padY = inputSize / Math.Round(imageHeight * scale, MidpointRounding.AwayFromZero);
        var top = Math.Max(0, (double)box[0]) * padY;
        var bottom = Math.Min(1.0, box[2]) * padY;
        var left = Math.Max(0, (double)box[1]) * padX;
        var right = Math.Min(1.0, box[3]) * padX;
        if (right - left < 0 || bottom - top < 0) return null;
        return new FaceBox(left * imageWidth, top * imageHeight, (right - left) * imageWidth, (bottom - top) * imageHeight);
    }

    private static float Exp(float x) => (float)Math.Exp(x);

    /// <summary>face-api's IoU: corners put in order, 0 where either box is empty; double arithmetic.</summary>
    private static double IoU(float[] boxes, int i, int j)
    {
        var (yMinI, xMinI, yMaxI, xMaxI) = Corners(boxes, i);
        var (yMinJ, xMinJ, yMaxJ, xMaxJ) = Corners(boxes, j);
        var areaI = (yMaxI - yMinI) * (xMaxI - xMinI);
        var areaJ = (yMaxJ - yMinJ) * (xMaxJ - xMinJ);
        if (areaI <= 0 || areaJ <= 0) return 0;
        var intersection = Math.Max(Math.Min(yMaxI, yMaxJ) - Math.Max(yMinI, yMinJ), 0) *
                           Math.Max(Math.Min(xMaxI, xMaxJ) - Math.Max(xMinI, xMinJ), 0);
        return intersection / (areaI + areaJ - intersection);
    }

    private static (double YMin, double XMin, double YMax, double XMax) Corners(float[] boxes, int index)
    {
        var (y0, x0, y1, x1) = ((double)boxes[4 * index], (double)boxes[(4 * index) + 1], (double)boxes[(4 * index) + 2], (double)boxes[(4 * index) + 3]);
        return (Math.Min(y0, y1), Math.Min(x0, x1), Math.Max(y0, y1), Math.Max(x0, x1));
    }
}
