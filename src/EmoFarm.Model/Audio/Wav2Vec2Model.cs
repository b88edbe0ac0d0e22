using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Audio;

/// <summary>
/// wav2vec2 (post-LN, group-norm feature encoder) with transformers' Wav2Vec2Model parameter names, so that
/// facebook/wav2vec2-base-960h loads key for key. Inference only: no masking, dropout or attention mask.
/// </summary>
public sealed class Wav2Vec2Model : nn.Module<Tensor, Tensor>
{
    private readonly FeatureEncoder feature_extractor;
    private readonly FeatureProjection feature_projection;
    private readonly Encoder encoder;
    private readonly Parameter? masked_spec_embed;

    public Wav2Vec2Model(Wav2Vec2Config config)
        : base(nameof(Wav2Vec2Model))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        feature_extractor = new FeatureEncoder(config);
        feature_projection = new FeatureProjection(config);
        encoder = new Encoder(config);
        if (config.HasMaskedSpecEmbed)
        {
            // Used only for SpecAugment in training; present so the checkpoint has nowhere unexpected to go.
            masked_spec_embed = new Parameter(torch.empty(config.HiddenSize).uniform_(0, 1));
        }

        RegisterComponents();
    }

    /// <summary>
    /// Checkpoint renames for <see cref="Checkpoints.CheckpointLoader"/>: older files spell the positional
    /// convolution's weight norm as weight_g / weight_v.
    /// </summary>
    public static IReadOnlyDictionary<string, string> CheckpointRenames { get; } = new Dictionary<string, string>
    {
        ["pos_conv_embed.conv.weight_g"] = "pos_conv_embed.conv.parametrizations.weight.original0",
        ["pos_conv_embed.conv.weight_v"] = "pos_conv_embed.conv.parametrizations.weight.original1",
    };

    /// <summary>
    /// Wav2Vec2ForCTC's files (wav2vec2-base-960h as released, and in Hallo's pretrained_models) hold this model under
    /// this prefix, for <see cref="Checkpoints.CheckpointLoader"/>'s stripPrefix.
    /// </summary>
    public const string CtcPrefix = "wav2vec2.";

    /// <summary>The CTC head of those files: speech-to-text only, unused for audio features.</summary>
    public static IReadOnlyList<string> CtcHeadKeys { get; } = ["lm_head.weight", "lm_head.bias"];

    public Wav2Vec2Config Config { get; }

    /// <summary>Raw samples [B, S] (normalised, 16 kHz) to all hidden states.</summary>
    /// <returns>
    /// [1 + L, B, T, C] with T = feature frames (about 50 Hz): index 0 is the embedding output (after the positional
    /// convolution and LayerNorm), index i the output of layer i, as transformers' hidden_states with
    /// output_hidden_states=True. Hallo uses indices 1..L.
    /// </returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return Encode(ExtractFeatures(input)).MoveToOuterDisposeScope();
    }

    /// <summary>The convolutional features [B, T, C_conv] of samples [B, S].</summary>
    public Tensor ExtractFeatures(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        return feature_extractor.forward(input).transpose(1, 2).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Projection and transformer over features [B, T, C_conv] (possibly resampled in time first, as Hallo does).
    /// Returns [1 + L, B, T, C] as <see cref="forward"/>.
    /// </summary>
    public Tensor Encode(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        using var scope = NewDisposeScope();
        return encoder.forward(feature_projection.forward(features)).MoveToOuterDisposeScope();
    }
}
