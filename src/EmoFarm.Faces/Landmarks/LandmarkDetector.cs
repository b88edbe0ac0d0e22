using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Landmarks;

/// <summary>
/// face-api's 68-point landmark net (<c>faceLandmark68Net</c>) with its input pipeline: given the face boxes a
/// detector found, crops each, centres it in a square, resizes it to 112² and returns its landmarks in image
/// pixels. Not thread-safe: one detector per inference thread.
/// </summary>
public sealed class LandmarkDetector : IDisposable
{
    private readonly FaceLandmark68Net net;
    private readonly Device device;

    private LandmarkDetector(FaceLandmark68Net net, Device device)
    {
        this.net = net;
        this.device = device;
    }

    /// <param name="modelFolder">face-api's model folder, holding <c>face_landmark_68_model-weights_manifest.json</c>.</param>
    /// <param name="device">Where the net runs; the CPU when null.</param>
    public static LandmarkDetector Load(string modelFolder, Device? device = null)
    {
        var target = device ?? CPU;
        var net = FaceLandmark68Net.Load(modelFolder);
        net.to(target);
        return new LandmarkDetector(net, target);
    }

    /// <exception cref="ArgumentOutOfRangeException">No pixel of the box lies inside the image.</exception>
    public FaceLandmarks Detect(RgbImage image, FaceBox box) => Detect(image, [box])[0];

    /// <summary>The landmarks of every box, in order, from one batched forward pass.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No pixel of some box lies inside the image.</exception>
    public IReadOnlyList<FaceLandmarks> Detect(RgbImage image, IReadOnlyList<FaceBox> boxes)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(boxes);
        if (image.Pixels.Length != image.Width * image.Height * 3)
        {
            throw new ArgumentException($"{image.Width}×{image.Height} RGB needs {image.Width * image.Height * 3} bytes, got {image.Pixels.Length}", nameof(image));
        }

        if (boxes.Count == 0) return [];
        var crops = boxes.Select(b => LandmarkCrop.For(image.Width, image.Height, b)).ToArray();
        var output = Forward(image, crops);
        return [.. crops.Select((crop, i) => crop.ToLandmarks(output.AsSpan(i * 2 * FaceLandmark68Net.PointCount, 2 * FaceLandmark68Net.PointCount)))];
    }

    public void Dispose() => net.Dispose();

    private float[] Forward(RgbImage image, IReadOnlyList<LandmarkCrop> crops)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        // Cropped while still bytes: only the faces are converted to float and sent to the device.
        var pixels = tensor(image.Pixels, [1, image.Height, image.Width, 3], ScalarType.Byte).permute(0, 3, 1, 2);
        var inputs = crops.Select(crop =>
        {
            var face = NetInput.Crop(pixels, crop.Region)!.to(ScalarType.Float32, device);
            return NetInput.ToSquareInput(face, FaceLandmark68Net.InputSize, centre: true);
        }).ToArray();
        var batch = cat(inputs, 0);
        return net.forward(batch).cpu().data<float>().ToArray();
    }
}
