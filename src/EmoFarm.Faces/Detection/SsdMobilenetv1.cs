using EmoFarm.Faces.Weights;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Detection;

/// <summary>
/// face-api's SSD-MobileNetV1 face detector up to its raw outputs: per anchor, box offsets and class logits. Box
/// decoding and suppression are plain arithmetic on 5118 anchors and run on the host (<see cref="SsdOutput"/>).
/// </summary>
internal sealed class SsdMobilenetv1 : nn.Module<Tensor, (Tensor Encodings, Tensor Logits)>
{
    public const string ModelName = "ssd_mobilenetv1_model";

    /// <summary>
    /// Constants of the exported TensorFlow graph (reshape sizes, slice bounds, the preprocessor's scale and offset)
    /// that ride along in the weights file. face-api ignores them and hard-codes the same values, so do we.
    /// </summary>
    private static readonly HashSet<string> GraphConstants =
    [
        "Preprocessor/mul/x", "Preprocessor/sub/y", "Preprocessor/ResizeImage/size",
        "Prediction/BoxPredictor_0/stack/3", "Prediction/BoxPredictor_0/stack_1/2",
        "Prediction/BoxPredictor_0/strided_slice/stack", "Prediction/BoxPredictor_0/strided_slice/stack_1",
        "Prediction/BoxPredictor_0/stack_1/1", "Prediction/BoxPredictor_1/stack_1/1", "Prediction/BoxPredictor_2/stack_1/1",
        "Prediction/BoxPredictor_3/stack_1/1", "Prediction/BoxPredictor_4/stack_1/1", "Prediction/BoxPredictor_5/stack_1/1",
        "Postprocessor/Slice/begin", "Postprocessor/Slice/size", "Postprocessor/stack/1", "concat_1/axis",
    ];

    // names mirror the checkpoint's top-level scopes: "MobilenetV1/…", "Prediction/…", "Output/extra_dim"
    private readonly MobileNetV1 MobilenetV1;
    private readonly PredictionLayer Prediction;
    private readonly AnchorBoxes Output;

    public SsdMobilenetv1() : base(nameof(SsdMobilenetv1))
    {
        MobilenetV1 = new MobileNetV1();
        Prediction = new PredictionLayer();
        Output = new AnchorBoxes();
        RegisterComponents();
    }

    /// <summary>The anchors, flattened (see <see cref="AnchorBoxes.ToArray"/>).</summary>
    public float[] Anchors() => Output.ToArray();

    /// <summary>Copies the TensorFlow.js weights in; every one must find its parameter and every parameter its weight.</summary>
    public void Bind(IReadOnlyDictionary<string, TfjsTensor> weights)
    {
        // State-dict keys are the TensorFlow names with '.' for '/', so the bindings follow from the keys alone.
        var bindings = state_dict().Keys.Select(key => new TfjsBinding(key, key.Replace('.', '/'), LayoutOf(key)));
        var used = weights.Where(w => !GraphConstants.Contains(w.Key)).ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal);
        TfjsBinder.Assign(this, used, bindings);
    }

    /// <param name="input">[B, 3, 512, 512], values −1..1.</param>
    /// <returns>Box encodings [B, 5118, 4] and class logits [B, 5118, 3].</returns>
    public override (Tensor Encodings, Tensor Logits) forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (features, conv11) = MobilenetV1.forward(input.contiguous());
        var (encodings, logits) = Prediction.forward(features, conv11);
        return (encodings.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    private static TfLayout LayoutOf(string key) => key switch
    {
        _ when key.EndsWith(".depthwise_weights", StringComparison.Ordinal) => TfLayout.Depthwise,
        _ when key.EndsWith(".weights", StringComparison.Ordinal) => TfLayout.Conv,
        _ => TfLayout.AsIs,
    };
}
