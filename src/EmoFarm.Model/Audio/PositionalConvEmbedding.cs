using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Audio;

/// <summary>wav2vec2's relative position embedding: a grouped, weight-normalised Conv1d over time, then GELU.</summary>
internal sealed class PositionalConvEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly WeightNormConv1d conv;

    public PositionalConvEmbedding(Wav2Vec2Config config)
        : base(nameof(PositionalConvEmbedding))
    {
        conv = new WeightNormConv1d(config.HiddenSize, config.NumConvPosEmbeddings, config.NumConvPosEmbeddingGroups);
        RegisterComponents();
    }

    /// <param name="input">[B, T, C]</param>
    /// <returns>[B, T, C]</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = conv.forward(input.transpose(1, 2));
        return nn.functional.gelu(x).transpose(1, 2).MoveToOuterDisposeScope();
    }
}
