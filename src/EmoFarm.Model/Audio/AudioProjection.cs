using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Audio;

/// <summary>
/// Turns each frame's window of wav2vec2 features into context tokens for the audio cross-attention
/// (Hallo's "audioproj."): flatten, Linear+ReLU, Linear+ReLU, Linear to tokens, LayerNorm per token.
/// </summary>
public sealed class AudioProjection : nn.Module<Tensor, Tensor>
{
    private readonly Linear proj1;
    private readonly Linear proj2;
    private readonly Linear proj3;
    private readonly LayerNorm norm;

    public AudioProjection(AudioProjectionConfig config)
        : base(nameof(AudioProjection))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        proj1 = nn.Linear(config.InputDim, config.IntermediateDim);
        proj2 = nn.Linear(config.IntermediateDim, config.IntermediateDim);
        proj3 = nn.Linear(config.IntermediateDim, config.ContextTokens * config.OutputDim);
        norm = nn.LayerNorm(config.OutputDim);
        RegisterComponents();
    }

    public AudioProjectionConfig Config { get; }

    /// <param name="input">[B, F, W, L, C] (window, layers, channels) or [F, W, L, C] as from AudioFeatureExtractor.</param>
    /// <returns>[B, F, tokens, C_out], or [F, tokens, C_out] for a 4-D input.</returns>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var c = Config;
        var batched = input.dim() == 5;
        if ((!batched && input.dim() != 4) || input.shape[^3] != c.WindowSize || input.shape[^2] != c.Blocks || input.shape[^1] != c.Channels)
        {
            throw new ArgumentException(
                $"Expected [B, F, {c.WindowSize}, {c.Blocks}, {c.Channels}] or [F, ...], got [{string.Join(", ", input.shape)}].",
                nameof(input));
        }

        using var scope = NewDisposeScope();
        var lead = input.shape[..^3];
        var x = input.reshape(-1, c.InputDim);
        x = nn.functional.relu(proj1.forward(x));
        x = nn.functional.relu(proj2.forward(x));
        x = norm.forward(proj3.forward(x).view(-1, c.ContextTokens, c.OutputDim));
        return x.view([.. lead, c.ContextTokens, c.OutputDim]).MoveToOuterDisposeScope();
    }
}
