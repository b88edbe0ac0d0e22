namespace EmoFarm.Model.Audio;

/// <summary>Widths of <see cref="AudioProjection"/>; the defaults are Hallo's audioproj.</summary>
public sealed record AudioProjectionConfig
{
    /// <summary>Frames per window (the frame and 2 neighbours on each side).</summary>
    public int WindowSize { get; init; } = 5;

    /// <summary>wav2vec2 layers stacked per frame.</summary>
    public int Blocks { get; init; } = 12;

    public int Channels { get; init; } = 768;

    public int IntermediateDim { get; init; } = 512;

    public int OutputDim { get; init; } = 768;

    public int ContextTokens { get; init; } = 32;

    public static AudioProjectionConfig Hallo { get; } = new();

    /// <summary>Matches <see cref="Wav2Vec2Config.Tiny"/> (2 layers of 32).</summary>
    public static AudioProjectionConfig Tiny { get; } = new()
    {
        Blocks = 2,
        Channels = 32,
        IntermediateDim = 16,
        OutputDim = 24,
        ContextTokens = 4,
    };

    public int InputDim => WindowSize * Blocks * Channels;
}
