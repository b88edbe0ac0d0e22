using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces.Imaging;
using EmoFarm.Faces.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Recognition;

/// <summary>
/// 128-float face descriptors, as face-api's <c>withFaceDescriptors()</c> computes them: the aligned box is cropped
/// (clipped to the image, floored), zero-padded to a centred square, resized to 150×150 with TensorFlow's bilinear
/// resize and run through the recognition net. Descriptors of one person lie close together (face-api's match
/// threshold is a Euclidean distance of 0.6); they are not unit vectors. Not thread-safe: run it on one thread.
/// </summary>
public sealed class FaceEmbedder : IDisposable
{
    private readonly FaceRecognitionNet net;
    private readonly Device device;

    private FaceEmbedder(FaceRecognitionNet net, Device device)
    {
        this.net = net;
        this.device = device;
    }

    /// <summary>Length of a descriptor.</summary>
    public static int DescriptorLength => FaceRecognitionNet.DescriptorLength;

    /// <param name="modelFolder">face-api's <c>model</c> folder (holds <c>face_recognition_model-weights_manifest.json</c>).</param>
    /// <param name="device">Where to run; the CPU when null.</param>
    public static FaceEmbedder Load(string modelFolder, Device? device = null)
    {
        var weights = TfjsWeights.Load(modelFolder, "face_recognition_model");
        var net = new FaceRecognitionNet();
        try
        {
            net.Load(weights);
            device ??= CPU;
            net.to(device);
            net.eval();
            return new FaceEmbedder(net, device);
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>The descriptor of the face in <paramref name="alignedBox"/> (face-api: <c>landmarks.align(null, {useDlibAlignment: true})</c>).</summary>
    /// <returns>128 floats; all zero when the box lies wholly outside the image, as face-api answers an empty crop.</returns>
    public float[] Describe(RgbImage image, FaceBox alignedBox) => Describe(image, [alignedBox])[0];

    /// <summary>The descriptors of several faces of one image, run through the net as one batch.</summary>
    /// <returns>One descriptor per box, in order.</returns>
    public IReadOnlyList<float[]> Describe(RgbImage image, IReadOnlyList<FaceBox> alignedBoxes)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(alignedBoxes);
        var descriptors = new float[alignedBoxes.Count][];
        if (alignedBoxes.Count == 0) return descriptors;

        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        // Crop the bytes on the CPU and convert only the faces: converting a whole photograph to float costs more
        // than the crops, and only they need to reach the device.
        var pixels = tensor(image.Pixels, [image.Height, image.Width, 3], ScalarType.Byte).permute(2, 0, 1).unsqueeze(0);
        var inputs = new List<Tensor>();
        var rows = new List<int>();
        for (var i = 0; i < alignedBoxes.Count; i++)
        {
            var face = NetInput.Crop(pixels, alignedBoxes[i]);
            if (face is null)
            {
                descriptors[i] = new float[DescriptorLength];
                continue;
            }

            inputs.Add(NetInput.ToSquareInput(face.to(ScalarType.Float32, device), FaceRecognitionNet.InputSize, centre: true));
            rows.Add(i);
        }

        if (inputs.Count == 0) return descriptors;
        var output = net.forward(cat(inputs, 0)).cpu();
        var values = output.data<float>().ToArray();
        for (var r = 0; r < rows.Count; r++)
        {
            descriptors[rows[r]] = values.AsSpan(r * DescriptorLength, DescriptorLength).ToArray();
        }

        return descriptors;
    }

    /// <summary>Cosine of the angle between two descriptors, computed in double; 0 when either is all zero.</summary>
    public static double CosineSimilarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"lengths differ: {a.Length} and {b.Length}", nameof(b));
        double dot = 0, normA = 0, normB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            normA += (double)a[i] * a[i];
            normB += (double)b[i] * b[i];
        }

        return normA == 0 || normB == 0 ? 0 : dot / Math.Sqrt(normA * normB);
    }

    public void Dispose() => net.Dispose();
}
