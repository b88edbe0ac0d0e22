using static TorchSharp.torch;

namespace EmoFarm.Faces.Detection;

/// <summary>
/// One SSD head: per cell and anchor, four box offsets and three class logits (face-api's
/// <c>boxPredictionLayer</c>).
/// </summary>
internal sealed class BoxPredictor : nn.Module<Tensor, (Tensor Encodings, Tensor Logits)>
{
    // names mirror the checkpoint: "Prediction/BoxPredictor_0/BoxEncodingPredictor/…", "…/ClassPredictor/…"
    private readonly BiasedConv BoxEncodingPredictor;
    private readonly BiasedConv ClassPredictor;

    public BoxPredictor(long inChannels, long anchorsPerCell) : base(nameof(BoxPredictor))
    {
        BoxEncodingPredictor = new BiasedConv(inChannels, anchorsPerCell * 4);
        ClassPredictor = new BiasedConv(inChannels, anchorsPerCell * 3);
        RegisterComponents();
    }

    /// <returns>[B, H·W·anchors, 4] and [B, H·W·anchors, 3], anchors in TensorFlow's order (row, column, anchor).</returns>
    public override (Tensor Encodings, Tensor Logits) forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var batch = input.shape[0];
        // TensorFlow reshapes NHWC outputs: channels vary fastest, so move them last before flattening.
        var encodings = BoxEncodingPredictor.forward(input).permute(0, 2, 3, 1).reshape(batch, -1, 4);
        var logits = ClassPredictor.forward(input).permute(0, 2, 3, 1).reshape(batch, -1, 3);
        return (encodings.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }
}
