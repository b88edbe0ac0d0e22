namespace EmoFarm.Model.Audio;

/// <summary>The hyper-parameters of a post-LN, group-norm wav2vec2 (transformers' Wav2Vec2Config subset).</summary>
public sealed record Wav2Vec2Config
{
    public int HiddenSize { get; init; } = 768;

    public int NumHiddenLayers { get; init; } = 12;

    public int NumAttentionHeads { get; init; } = 12;

    public int IntermediateSize { get; init; } = 3072;

    /// <summary>Output channels of each feature-encoder convolution.</summary>
    public IReadOnlyList<int> ConvDim { get; init; } = [512, 512, 512, 512, 512, 512, 512];

    public IReadOnlyList<int> ConvKernel { get; init; } = [10, 3, 3, 3, 3, 2, 2];

    /// <summary>Strides multiply to 320 samples per feature frame: 50 Hz at 16 kHz.</summary>
    public IReadOnlyList<int> ConvStride { get; init; } = [5, 2, 2, 2, 2, 2, 2];

    public int NumConvPosEmbeddings { get; init; } = 128;

    public int NumConvPosEmbeddingGroups { get; init; } = 16;

    public double LayerNormEps { get; init; } = 1e-5;

    /// <summary>Whether the checkpoint carries masked_spec_embed (it does when the model was trained with masking).</summary>
    public bool HasMaskedSpecEmbed { get; init; } = true;

    /// <summary>facebook/wav2vec2-base-960h, the encoder Hallo uses.</summary>
    public static Wav2Vec2Config Base { get; } = new();

    /// <summary>Small widths with the real strides (so still 50 Hz), for CPU tests.</summary>
    public static Wav2Vec2Config Tiny { get; } = new()
    {
        HiddenSize = 32,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        IntermediateSize = 64,
        ConvDim = [16, 16, 16, 16, 16, 16, 16],
        NumConvPosEmbeddings = 16,
        NumConvPosEmbeddingGroups = 4,
    };

    /// <summary>Audio samples per feature frame (product of the strides).</summary>
    public int SamplesPerFrame => ConvStride.Aggregate(1, (a, b) => a * b);
}
