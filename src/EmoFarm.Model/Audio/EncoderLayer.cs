using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Audio;

/// <summary>A post-LN transformer layer (wav2vec2-base has do_stable_layer_norm = false).</summary>
internal sealed class EncoderLayer : nn.Module<Tensor, Tensor>
{
    private readonly SelfAttention attention;
    private readonly LayerNorm layer_norm;
    private readonly FeedForward feed_forward;
    private readonly LayerNorm final_layer_norm;

    public EncoderLayer(Wav2Vec2Config config)
        : base(nameof(EncoderLayer))
    {
        attention = new SelfAttention(config.HiddenSize, config.NumAttentionHeads);
        layer_norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        feed_forward = new FeedForward(config.HiddenSize, config.IntermediateSize);
        final_layer_norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = layer_norm.forward(input + attention.forward(input));
        x = final_layer_norm.forward(x + feed_forward.forward(x));
        return x.MoveToOuterDisposeScope();
    }
}
