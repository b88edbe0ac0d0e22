using EmoFarm.Faces.Weights;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Landmarks;

/// <summary>
/// face-api's <c>FaceLandmark68Net</c>: four dense blocks (112 → 7 pixels, 32 → 256 channels), a 7×7 average pool
/// and a fully connected layer giving 68 (x, y) pairs, relative to the 112×112 input. Submodule names are the
/// TensorFlow.js weight paths (<c>dense0/conv0/filters</c> is <c>dense0.conv0.filters</c>).
/// </summary>
internal sealed class FaceLandmark68Net : nn.Module<Tensor, Tensor>
{
    public const string ModelName = "face_landmark_68_model";

    public const int InputSize = 112;

    public const int PointCount = 68;

    // face-api's mean RGB, subtracted before the division by 255.
    private static readonly float[] MeanRgb = [122.782f, 117.001f, 104.298f];

    private readonly DenseBlock dense0;
    private readonly DenseBlock dense1;
    private readonly DenseBlock dense2;
    private readonly DenseBlock dense3;
    private readonly FullyConnected fc;

    public FaceLandmark68Net()
        : base(nameof(FaceLandmark68Net))
    {
        dense0 = new DenseBlock(3, 32, isFirstLayer: true);
        dense1 = new DenseBlock(32, 64, isFirstLayer: false);
        dense2 = new DenseBlock(64, 128, isFirstLayer: false);
        dense3 = new DenseBlock(128, 256, isFirstLayer: false);
        fc = new FullyConnected(256, 2 * PointCount);
        RegisterComponents();
    }

    /// <summary>Creates the net on the CPU and fills it from face-api's weights; every weight must fit.</summary>
    public static FaceLandmark68Net Load(string modelFolder)
    {
        var weights = TfjsWeights.Load(modelFolder, ModelName);
        var net = new FaceLandmark68Net();
        TfjsBinder.Assign(net, weights, net.state_dict().Keys.Select(Bind));
        net.eval();
        return net;
    }

    /// <param name="input">[N, 3, 112, 112] float32 RGB, 0..255 (face-api's <c>toBatchTensor(112, true)</c>).</param>
    /// <returns>[N, 136]: x0, y0, x1, y1, … as fractions of the padded square.</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var mean = tensor(MeanRgb, [1, 3, 1, 1], device: input.device);
        var x = (input - mean) / 255f;
        x = dense3.forward(dense2.forward(dense1.forward(dense0.forward(x))));
        x = nn.functional.avg_pool2d(x, kernel_size: 7, stride: 2);
        return fc.forward(x.flatten(1)).MoveToOuterDisposeScope();
    }

    // State-dict keys are the weight paths with dots; the last segment says how TensorFlow lays the weight out.
    private static TfjsBinding Bind(string parameter)
    {
        var tfjs = parameter.Replace('.', '/');
        var layout = parameter[(parameter.LastIndexOf('.') + 1)..] switch
        {
            "filters" or "pointwise_filter" => TfLayout.Conv,
            "depthwise_filter" => TfLayout.Depthwise,
            "weights" => TfLayout.Dense,
            _ => TfLayout.AsIs,
        };
        return new TfjsBinding(parameter, tfjs, layout);
    }
}
