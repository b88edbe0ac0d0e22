using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Audio;

/// <summary>Positional convolution, LayerNorm, then the transformer layers; returns every hidden state.</summary>
internal sealed class Encoder : nn.Module<Tensor, Tensor>
{
    private readonly PositionalConvEmbedding pos_conv_embed;
    private readonly LayerNorm layer_norm;
    private readonly ModuleList<EncoderLayer> layers = [];

    public Encoder(Wav2Vec2Config config)
        : base(nameof(Encoder))
    {
        pos_conv_embed = new PositionalConvEmbedding(config);
        layer_norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            layers.Add(new EncoderLayer(config));
        }

        RegisterComponents();
    }

    /// <param name="input">Projected features [B, T, C].</param>
    /// <returns>[1 + layers, B, T, C]: the embedding output, then each layer's output.</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = layer_norm.forward(input + pos_conv_embed.forward(input));
        var states = new List<Tensor>(layers.Count + 1) { x };
        foreach (var layer in layers)
        {
            x = layer.forward(x);
            states.Add(x);
        }

        return torch.stack(states).MoveToOuterDisposeScope();
    }
}
