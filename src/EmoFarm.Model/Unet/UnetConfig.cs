namespace EmoFarm.Model.Unet;

/// <summary>
/// Widths of the SD1.5-layout UNets (reference and denoising). Every level but the last has cross-attention
/// (CrossAttnDownBlock / CrossAttnUpBlock); the last is a plain DownBlock / UpBlock, as in SD1.5.
/// </summary>
public sealed record UnetConfig
{
    public int InChannels { get; init; } = 4;

    public int OutChannels { get; init; } = 4;

    public IReadOnlyList<long> BlockOutChannels { get; init; } = [320, 640, 1280, 1280];

    public int LayersPerBlock { get; init; } = 2;

    /// <summary>Number of heads of every spatial attention (SD1.5's confusingly named attention_head_dim=8).</summary>
    public long AttentionHeads { get; init; } = 8;

    public long CrossAttentionDim { get; init; } = 768;

    public long NormGroups { get; init; } = 32;

    public double NormEps { get; init; } = 1e-5;

    /// <summary>Width of the audio tokens the audio modules attend to.</summary>
    public long AudioAttentionDim { get; init; } = 768;

    public long MotionHeads { get; init; } = 8;

    /// <summary>Length of the motion modules' positional table: clip frames plus motion frames must fit.</summary>
    public long MotionMaxFrames { get; init; } = 32;

    public long TimeEmbedDim => BlockOutChannels[0] * 4;

    public int Levels => BlockOutChannels.Count;

    /// <summary>Stable Diffusion 1.5 as used by Hallo: matches <c>reference_unet.</c>/<c>denoising_unet.</c>.</summary>
    public static UnetConfig Sd15 { get; } = new();

    /// <summary>Same code path, widths small enough for CPU tests (3 levels, 32/64/64 channels).</summary>
    public static UnetConfig Tiny { get; } = new()
    {
        BlockOutChannels = [32, 64, 64],
        LayersPerBlock = 1,
        AttentionHeads = 2,
        CrossAttentionDim = 32,
        NormGroups = 8,
        AudioAttentionDim = 24,
        MotionHeads = 2,
    };
}
