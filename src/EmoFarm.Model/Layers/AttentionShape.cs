namespace EmoFarm.Model.Layers;

/// <summary>Widths of one <see cref="Attention"/>. ContextDim null means self-attention.</summary>
public sealed record AttentionShape(
    long QueryDim,
    long Heads,
    long HeadDim,
    long? ContextDim = null,
    bool QkvBias = false,
    long GroupNormGroups = 0,
    long PositionalMaxLen = 0);
