namespace EmoFarm.Contracts.Rendering;

/// <summary>Hallo's full, face and lip masks, one array per UNet level (level 0 is the latent grid's full size).</summary>
public sealed record RegionMasks(IReadOnlyList<float[]> Full, IReadOnlyList<float[]> Face, IReadOnlyList<float[]> Lip);
