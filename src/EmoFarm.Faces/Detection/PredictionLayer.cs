using static TorchSharp.torch;

namespace EmoFarm.Faces.Detection;

/// <summary>
/// The SSD feature pyramid and its six box predictors (face-api's <c>predictionLayer</c>): one on backbone pair 11
/// (32×32, 3 anchors a cell), one on the backbone's output (16×16) and four on extra layers that halve the size down
/// to 1×1 (6 anchors a cell), 5118 anchors in all.
/// </summary>
internal sealed class PredictionLayer : nn.Module<Tensor, Tensor, (Tensor Encodings, Tensor Logits)>
{
    /// <summary>The extra layers as (in, out, kernel, stride).</summary>
    private static readonly (long In, long Out, long Kernel, long Stride)[] Extra =
        [(1024, 256, 1, 1), (256, 512, 3, 2), (512, 128, 1, 1), (128, 256, 3, 2), (256, 128, 1, 1), (128, 256, 3, 2), (256, 64, 1, 1), (64, 128, 3, 2)];

    /// <summary>Input channels and anchors per cell of BoxPredictor_0 … BoxPredictor_5.</summary>
    private static readonly (long Channels, long Anchors)[] Predictors = [(512, 3), (1024, 6), (512, 6), (256, 6), (256, 6), (128, 6)];

    // Registered as "Conv2d_{i}_pointwise" and "BoxPredictor_{i}", the checkpoint's names.
    private readonly PointwiseConv[] conv = new PointwiseConv[Extra.Length];
    private readonly BoxPredictor[] predictor = new BoxPredictor[Predictors.Length];

    public PredictionLayer() : base(nameof(PredictionLayer))
    {
        for (var i = 0; i < Extra.Length; i++)
        {
            var (inChannels, outChannels, kernel, stride) = Extra[i];
            conv[i] = new PointwiseConv(inChannels, outChannels, kernel, stride);
            register_module($"Conv2d_{i}_pointwise", conv[i]);
        }

        for (var i = 0; i < Predictors.Length; i++)
        {
            predictor[i] = new BoxPredictor(Predictors[i].Channels, Predictors[i].Anchors);
            register_module($"BoxPredictor_{i}", predictor[i]);
        }

        RegisterComponents();
    }

    /// <param name="features">The backbone's output, [B, 1024, 16, 16].</param>
    /// <param name="conv11">Backbone pair 11, [B, 512, 32, 32].</param>
    /// <returns>Box encodings [B, 5118, 4] and class logits [B, 5118, 3].</returns>
    public override (Tensor Encodings, Tensor Logits) forward(Tensor features, Tensor conv11)
    {
        using var scope = NewDisposeScope();
        var maps = new List<Tensor> { conv11, features };
        var x = features;
        for (var i = 0; i < conv.Length; i++)
        {
            x = conv[i].forward(x);
            // The predictors read every second extra layer, the strided ones.
            if (i % 2 == 1) maps.Add(x);
        }

        var heads = maps.Select((map, i) => predictor[i].forward(map)).ToList();
        var encodings = cat(heads.Select(h => h.Encodings).ToList(), 1);
        var logits = cat(heads.Select(h => h.Logits).ToList(), 1);
        return (encodings.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }
}
