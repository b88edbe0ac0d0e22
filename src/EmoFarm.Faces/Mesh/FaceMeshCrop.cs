using EmoFarm.Contracts.Rendering;

namespace EmoFarm.Faces.Mesh;

/// <summary>
/// The square the mesh sees, and how its outputs map back, as <c>@vladmandic/human</c> 3.3.6 does it
/// (src/face/blazeface.ts, facemeshutil.ts, facemesh.ts), reproduced number for number:
/// <list type="number">
/// <item>the detector's box is enlarged about its centre by <see cref="HumanScale"/> (human's
/// <c>face.detector.scale</c>; <c>enlargeBox</c>), then made square on its longer side with each corner rounded to a
/// whole pixel (<c>squarifyBox</c>);</item>
/// <item>with a symmetry line whose angle exceeds 0.2 rad (human's <c>face.detector.rotation</c>, off by default),
/// the image is turned upright about the square's centre, nearest pixel, zeros outside
/// (<c>tf.image.rotateWithOffset</c>); smaller angles are ignored, as human ignores them;</item>
/// <item>the square is resampled to 192² with <c>tf.image.cropAndResize</c> (bilinear, zeros outside the image;
/// the box is passed relative to the image size in float32, so it samples from corner·(size−1)/size) and divided
/// by 255 (<c>cutAndResize</c>);</item>
/// <item>the mesh's 192-pixel coordinates map back linearly onto the square about its centre, rotated back by the
/// angle (<c>transformRawCoords</c>). Human then truncates each coordinate to a whole pixel; this keeps the
/// fraction. Human's own quirk is kept: the mapping takes the crop's edges at 0 and 192 while cropAndResize put
/// them at sample 0 and 191.</item>
/// </list>
/// Human's enlargement was tuned for blazeface's boxes; face-api's SSD boxes are taller. Measured once by hand on
/// sample1.jpg at 960 wide: with SSD boxes, 1.4 put the landmarks 0.9 and 1.7 px (0.5 % and 1 % of the crop) on
/// average from those of human's own blazeface pipeline. That was closer than 1.2, 1.3 or 1.6 did, so it is kept.
/// </summary>
/// <param name="Box">The square, whole-pixel image region the mesh sees (before any rotation).</param>
/// <param name="Angle">The symmetry line's angle, radians; 0 without one.</param>
/// <param name="Rotated">Whether the image was turned (|angle| above 0.2 rad).</param>
/// <param name="Scale">The enlargement applied to the detector's box.</param>
public sealed record FaceMeshCrop(FaceBox Box, double Angle, bool Rotated, double Scale)
{
    /// <summary>Human's <c>config.face.detector.scale</c>.</summary>
    public const double HumanScale = 1.4;

    /// <summary>Human turns a face only when its angle exceeds this, in radians.</summary>
    public const double MinRotation = 0.2;

    /// <param name="detection">The detector's box, image pixels.</param>
    /// <param name="line">Turn the face upright by this line, as human does with <c>detector.rotation</c>.</param>
    /// <param name="scale">The enlargement; human's is <see cref="HumanScale"/>.</param>
    public static FaceMeshCrop For(FaceBox detection, SymmetryLine? line = null, double scale = HumanScale)
    {
        if (!(detection.Width > 0 && detection.Height > 0)) throw new ArgumentOutOfRangeException(nameof(detection), detection, "the face box is empty");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(scale, 0);
        // The detection as human's box: startPoint and endPoint, every step in double in human's order.
        var (startX, startY, endX, endY) = (detection.X, detection.Y, detection.X + detection.Width, detection.Y + detection.Height);
        var (centreX, centreY) = (startX + ((endX - startX) / 2), startY + ((endY - startY) / 2));
        var (halfWidth, halfHeight) = (scale * Math.Abs(endX - startX) / 2, scale * Math.Abs(endY - startY) / 2);
        (startX, startY, endX, endY) = (centreX - halfWidth, centreY - halfHeight, centreX + halfWidth, centreY + halfHeight);
        (centreX, centreY) = (startX + ((endX - startX) / 2), startY + ((endY - startY) / 2));
        var half = Math.Max(Math.Abs(endX - startX), Math.Abs(endY - startY)) / 2;
        var (left, top) = (JsRound(centreX - half), JsRound(centreY - half));
        var (right, bottom) = (JsRound(centreX + half), JsRound(centreY + half));
        var angle = line?.Angle ?? 0;
        return new FaceMeshCrop(new FaceBox(left, top, right - left, bottom - top), angle, Math.Abs(angle) > MinRotation, scale);
    }

    /// <summary>The mesh's input: <see cref="FaceMesh.InputSize"/>² RGB, NHWC, in [0, 1], as float32.</summary>
    public float[] Sample(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        const int size = FaceMesh.InputSize;
        var (width, height) = (image.Width, image.Height);
        // cropAndResize takes the box relative to the image, as a float32 tensor.
        var y1 = (double)(float)(Box.Y / height);
        var x1 = (double)(float)(Box.X / width);
        var y2 = (double)(float)(Box.Bottom / height);
        var x2 = (double)(float)(Box.Right / width);
        var heightScale = (y2 - y1) * (height - 1) / (size - 1);
        var widthScale = (x2 - x1) * (width - 1) / (size - 1);
        var pixel = Pixels(image);
        var result = new float[size * size * 3];
        for (var y = 0; y < size; y++)
        {
            var yIndex = (y1 * (height - 1)) + (y * heightScale);
            if (yIndex < 0 || yIndex > height - 1) continue; // extrapolation value 0
            var (topRow, bottomRow) = ((int)Math.Floor(yIndex), (int)Math.Ceiling(yIndex));
            var yLerp = yIndex - topRow;
            for (var x = 0; x < size; x++)
            {
                var xIndex = (x1 * (width - 1)) + (x * widthScale);
                if (xIndex < 0 || xIndex > width - 1) continue;
                var (leftColumn, rightColumn) = ((int)Math.Floor(xIndex), (int)Math.Ceiling(xIndex));
                var xLerp = xIndex - leftColumn;
                for (var c = 0; c < 3; c++)
                {
                    double topLeft = pixel(leftColumn, topRow, c), topRight = pixel(rightColumn, topRow, c);
                    double bottomLeft = pixel(leftColumn, bottomRow, c), bottomRight = pixel(rightColumn, bottomRow, c);
                    var upper = topLeft + ((topRight - topLeft) * xLerp);
                    var lower = bottomLeft + ((bottomRight - bottomLeft) * xLerp);
                    // Stored as float32 by cropAndResize, then divided by 255 as tf.div does (in double, stored float32).
                    var sample = (float)(upper + ((lower - upper) * yLerp));
                    result[(((y * size) + x) * 3) + c] = (float)(sample / 255.0);
                }
            }
        }

        return result;
    }

    /// <summary>The mesh's raw points (x, y, z triples in 192-pixel crop units) in image pixels.</summary>
    public MeshPoint[] ToImage(ReadOnlySpan<float> raw)
    {
        if (raw.Length % 3 != 0) throw new ArgumentException($"{raw.Length} values are not x, y, z triples", nameof(raw));
        const double size = FaceMesh.InputSize;
        var (scaleX, scaleY) = (Box.Width / size, Box.Height / size);
        var (centreX, centreY) = (Box.X + (Box.Width / 2), Box.Y + (Box.Height / 2));
        // Human composes rotation matrices; the composition reduces to a rotation by the angle about the centre.
        var (cos, sin) = Rotated ? (Math.Cos(Angle), Math.Sin(Angle)) : (1.0, 0.0);
        var points = new MeshPoint[raw.Length / 3];
        for (var i = 0; i < points.Length; i++)
        {
            var dx = scaleX * (raw[3 * i] - (size / 2));
            var dy = scaleY * (raw[(3 * i) + 1] - (size / 2));
            points[i] = new MeshPoint(centreX + (dx * cos) - (dy * sin), centreY + (dx * sin) + (dy * cos), raw[(3 * i) + 2]);
        }

        return points;
    }

    /// <summary>
    /// The image as human samples it: the pixel at whole (x, y), after <c>rotateWithOffset</c> when rotated (the
    /// source pixel nearest the point turned about the square's centre; 0 outside the image).
    /// </summary>
    private Func<int, int, int, byte> Pixels(RgbImage image)
    {
        var (width, height, pixels) = (image.Width, image.Height, image.Pixels);
        if (pixels.Length != width * height * 3) throw new ArgumentException($"{width}×{height} RGB needs {width * height * 3} bytes, got {pixels.Length}", nameof(image));
        if (!Rotated) return (x, y, c) => pixels[(((y * width) + x) * 3) + c];
        var centre = (X: Box.X + (Box.Width / 2), Y: Box.Y + (Box.Height / 2));
        // human passes the centre relative to the image; tfjs multiplies it back.
        var (centreX, centreY) = (width * (centre.X / width), height * (centre.Y / height));
        var (sin, cos) = (Math.Sin(Angle), Math.Cos(Angle));
        return (x, y, c) =>
        {
            var sourceX = JsRound(((x - centreX) * cos) - ((y - centreY) * sin) + centreX);
            var sourceY = JsRound(((x - centreX) * sin) + ((y - centreY) * cos) + centreY);
            return sourceX >= 0 && sourceX < width && sourceY >= 0 && sourceY < height
                ? pixels[(int)((((sourceY * width) + sourceX) * 3) + c)]
                : (byte)0;
        };
    }

    /// <summary>JavaScript's <c>Math.round</c>: halves go up (towards +∞), unlike .NET's default.</summary>
    private static double JsRound(double value)
    {
        var floor = Math.Floor(value);
        return value - floor >= 0.5 ? floor + 1 : floor;
    }
}
