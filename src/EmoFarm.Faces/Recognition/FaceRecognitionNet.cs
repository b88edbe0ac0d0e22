using EmoFarm.Faces.Weights;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Recognition;

/// <summary>
/// face-api's <c>FaceRecognitionNet</c> (<c>face_recognition_model</c>): dlib's ResNet-34-like face descriptor net,
/// 150×150 RGB in, 128 floats out. Field names mirror the TensorFlow.js weight paths, so the bindings are derived
/// from the state dict (<c>conv64_1.conv2.scale.weights</c> ↔ <c>conv64_1/conv2/scale/weights</c>).
/// </summary>
internal sealed class FaceRecognitionNet : nn.Module<Tensor, Tensor>
{
    /// <summary>Side of the square input, in pixels.</summary>
    public const int InputSize = 150;

    /// <summary>Length of a descriptor.</summary>
    public const int DescriptorLength = 128;

    // The mean face-api subtracts (R, G, B) before it divides by 255; float32 as its tf.fill makes them.
    private static readonly float[] MeanRgb = [122.782f, 117.001f, 104.298f];

    private readonly ConvLayer conv32_down;
    private readonly ResidualLayer conv32_1, conv32_2, conv32_3;
    private readonly ResidualLayer conv64_down, conv64_1, conv64_2, conv64_3;
    private readonly ResidualLayer conv128_down, conv128_1, conv128_2;
    private readonly ResidualLayer conv256_down, conv256_1, conv256_2, conv256_down_out;
    private readonly Parameter fc;

    public FaceRecognitionNet() : base(nameof(FaceRecognitionNet))
    {
        conv32_down = new ConvLayer(3, 32, 7, down: true);
        conv32_1 = new ResidualLayer(32, 32);
        conv32_2 = new ResidualLayer(32, 32);
        conv32_3 = new ResidualLayer(32, 32);
        conv64_down = new ResidualLayer(32, 64, down: true);
        conv64_1 = new ResidualLayer(64, 64);
        conv64_2 = new ResidualLayer(64, 64);
        conv64_3 = new ResidualLayer(64, 64);
        conv128_down = new ResidualLayer(64, 128, down: true);
        conv128_1 = new ResidualLayer(128, 128);
        conv128_2 = new ResidualLayer(128, 128);
        conv256_down = new ResidualLayer(128, 256, down: true);
        conv256_1 = new ResidualLayer(256, 256);
        conv256_2 = new ResidualLayer(256, 256);
        conv256_down_out = new ResidualLayer(256, 256, down: true);
        fc = nn.Parameter(zeros(DescriptorLength, 256));
        RegisterComponents();
    }

    /// <summary>Fills every parameter from the TensorFlow.js weights; throws listing whatever does not fit.</summary>
    public void Load(IReadOnlyDictionary<string, TfjsTensor> weights)
    {
        var bindings = state_dict().Keys.Select(parameter =>
        {
            var path = parameter.Replace('.', '/');
            if (path == nameof(fc)) return new TfjsBinding(parameter, path, TfLayout.Dense);
            return path.EndsWith("/conv/weight", StringComparison.Ordinal)
                ? new TfjsBinding(parameter, path[..^"weight".Length] + "filters", TfLayout.Conv)
                : new TfjsBinding(parameter, path);
        });
        TfjsBinder.Assign(this, weights, bindings.ToList());
    }

    /// <param name="input">[N, 3, 150, 150] float32 RGB, 0..255 (face-api's toBatchTensor(150, true)).</param>
    /// <returns>[N, 128] descriptors, not normalised (face-api returns the fully connected output as it is).</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var mean = tensor(MeanRgb, device: input.device).view(1, 3, 1, 1);
        var x = (input - mean) / 255f;
        x = conv32_down.forward(x);
        x = nn.functional.max_pool2d(x, 3, 2);
        x = conv32_3.forward(conv32_2.forward(conv32_1.forward(x)));
        x = conv64_3.forward(conv64_2.forward(conv64_1.forward(conv64_down.forward(x))));
        x = conv128_2.forward(conv128_1.forward(conv128_down.forward(x)));
        x = conv256_2.forward(conv256_1.forward(conv256_down.forward(x)));
        x = conv256_down_out.forward(x);
        var pooled = x.mean([2, 3]);
        return nn.functional.linear(pooled, fc).MoveToOuterDisposeScope();
    }
}
