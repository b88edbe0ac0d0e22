namespace EmoFarm.Model.Vae;

/// <summary>AutoencoderKL widths. <see cref="Sd15"/> matches sd-vae-ft-mse (the <c>sd-vae-ft-mse:</c> keys).</summary>
public sealed record VaeConfig
{
    public IReadOnlyList<long> BlockOutChannels { get; init; } = [128, 256, 512, 512];

    public int LayersPerBlock { get; init; } = 2;

    public long LatentChannels { get; init; } = 4;

    public long NormGroups { get; init; } = 32;

    public double ScalingFactor { get; init; } = 0.18215;

    /// <summary>Pixel size of one latent cell: 2^(levels−1).</summary>
    public int DownscaleFactor => 1 << (BlockOutChannels.Count - 1);

    public static VaeConfig Sd15 { get; } = new();

    /// <summary>Same code path and the same 8x factor with a few thousand parameters per layer.</summary>
    public static VaeConfig Tiny { get; } = new()
    {
        BlockOutChannels = [16, 16, 32, 32],
        LayersPerBlock = 1,
        NormGroups = 8,
    };
}
