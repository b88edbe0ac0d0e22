using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Audio;

/// <summary>One convolution of the feature encoder: conv, optional group norm (layer 0 only), GELU.</summary>
internal sealed class FeatureEncoderLayer : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d conv;
    private readonly GroupNorm? layer_norm;

    public FeatureEncoderLayer(int inChannels, int outChannels, int kernel, int stride, bool groupNorm, double eps)
        : base(nameof(FeatureEncoderLayer))
    {
        conv = nn.Conv1d(inChannels, outChannels, kernel, stride: stride, bias: false);
        if (groupNorm)
        {
            // One group per channel, as transformers' Wav2Vec2GroupNormConvLayer.
            layer_norm = Layers.Norms.GroupNorm(outChannels, outChannels, eps);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = conv.forward(input);
        if (layer_norm is not null)
        {
            x = layer_norm.forward(x);
        }

        return nn.functional.gelu(x).MoveToOuterDisposeScope();
    }
}
