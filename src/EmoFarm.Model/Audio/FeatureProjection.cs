using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Audio;

/// <summary>LayerNorm then Linear from the conv width to the transformer width.</summary>
internal sealed class FeatureProjection : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm layer_norm;
    private readonly Linear projection;

    public FeatureProjection(Wav2Vec2Config config)
        : base(nameof(FeatureProjection))
    {
        var convWidth = config.ConvDim[^1];
        layer_norm = nn.LayerNorm(convWidth, config.LayerNormEps);
        projection = nn.Linear(convWidth, config.HiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return projection.forward(layer_norm.forward(input)).MoveToOuterDisposeScope();
    }
}
