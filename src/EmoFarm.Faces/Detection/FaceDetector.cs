using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces.Imaging;
using EmoFarm.Faces.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Detection;

/// <summary>
/// face-api's SSD-MobileNetV1 face detector (<c>faceapi.detectAllFaces</c> with <c>SsdMobilenetv1Options</c>) on
/// its own TensorFlow.js weights: the same input pipeline, network, box decoding and suppression, so that it finds
/// the faces face-api finds, with the same boxes and scores.
/// </summary>
public sealed class FaceDetector : IDisposable
{
    /// <summary>The network's input side; face-api's SSD always runs at 512.</summary>
    private const int InputSize = 512;

    /// <summary>face-api's overlap threshold for suppression; its options do not expose it.</summary>
    private const double IouThreshold = 0.5;

    private readonly SsdMobilenetv1 net;
    private readonly Device device;
    private readonly float[] anchors;

    private FaceDetector(SsdMobilenetv1 net, Device device, float[] anchors)
    {
        this.net = net;
        this.device = device;
        this.anchors = anchors;
    }

    /// <summary>Reads <c>ssd_mobilenetv1_model</c> from <paramref name="modelFolder"/> (face-api's model folder).</summary>
    /// <exception cref="FileNotFoundException">The model is not there.</exception>
    /// <exception cref="InvalidDataException">Its weights do not fit the network.</exception>
    public static FaceDetector Load(string modelFolder, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelFolder);
        var weights = TfjsWeights.Load(modelFolder, SsdMobilenetv1.ModelName);
        var net = new SsdMobilenetv1();
        try
        {
            net.Bind(weights);
            var anchors = net.Anchors();
            device ??= CPU;
            net.to(device).eval();
            return new FaceDetector(net, device, anchors);
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>The faces in <paramref name="image"/>, best first, boxes in its pixels.</summary>
    /// <param name="image">Any size; it is padded to a square and resized to 512², as face-api does.</param>
    /// <param name="minScore">face-api's <c>minConfidence</c>: faces must score above it. Between 0 and 1.</param>
    /// <param name="maxResults">face-api's <c>maxResults</c>: at most this many faces.</param>
    public IReadOnlyList<FaceDetection> Detect(RgbImage image, double minScore = 0.5, int maxResults = 100)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(minScore, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(minScore, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        if (image.Width <= 0 || image.Height <= 0 || image.Pixels.Length != image.Width * image.Height * 3)
        {
            throw new ArgumentException($"a {image.Width}×{image.Height} RGB image needs {image.Width * image.Height * 3} bytes, not {image.Pixels.Length}", nameof(image));
        }

        var (encodings, logits) = Run(image);
        var boxes = SsdOutput.DecodeBoxes(anchors, encodings);
        var scores = SsdOutput.Scores(logits);
        var detections = new List<FaceDetection>();
        foreach (var index in SsdOutput.NonMaxSuppression(boxes, scores, maxResults, IouThreshold, minScore))
        {
            var box = SsdOutput.ToImageBox(boxes.AsSpan(4 * index, 4), image.Width, image.Height, InputSize);
            if (box is { } found) detections.Add(new FaceDetection(found, scores[index]));
        }

        return detections;
    }

    public void Dispose() => net.Dispose();

    /// <returns>The network's box encodings and class logits for the image, flattened.</returns>
    private (float[] Encodings, float[] Logits) Run(RgbImage image)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var pixels = NetInput.FromImage(image, device);
        // toBatchTensor(512, false): zeros appended at the bottom or right, then TensorFlow's bilinear resize.
        var input = NetInput.ToSquareInput(pixels, InputSize, centre: false).div_(127.5).sub_(1);
        var (encodings, logits) = net.forward(input);
        using var encodingsCpu = encodings.cpu();
        using var logitsCpu = logits.cpu();
        return (encodingsCpu.data<float>().ToArray(), logitsCpu.data<float>().ToArray());
    }
}
