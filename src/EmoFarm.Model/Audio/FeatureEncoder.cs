using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Audio;

/// <summary>The convolutional front end: raw 16 kHz samples [B, S] to features [B, C, T] at 50 Hz.</summary>
internal sealed class FeatureEncoder : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<FeatureEncoderLayer> conv_layers = [];

    public FeatureEncoder(Wav2Vec2Config config)
        : base(nameof(FeatureEncoder))
    {
        var inChannels = 1;
        for (var i = 0; i < config.ConvDim.Count; i++)
        {
            conv_layers.Add(new FeatureEncoderLayer(
                inChannels, config.ConvDim[i], config.ConvKernel[i], config.ConvStride[i], groupNorm: i == 0, config.LayerNormEps));
            inChannels = config.ConvDim[i];
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.unsqueeze(1);
        foreach (var layer in conv_layers)
        {
            x = layer.forward(x);
        }

        return x.MoveToOuterDisposeScope();
    }
}
