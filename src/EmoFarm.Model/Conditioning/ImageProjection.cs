using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Conditioning;

/// <summary>Hallo's ImageProjModel (<c>imageproj.</c>): a 512-d face embedding → 4 layer-normed tokens of 768.</summary>
public sealed class ImageProjection : nn.Module<Tensor, Tensor>
{
    private readonly Linear proj;
    private readonly LayerNorm norm;
    private readonly long tokens;
    private readonly long dim;

    public ImageProjection(long embeddingDim = 512, long crossAttentionDim = 768, long tokens = 4)
        : base(nameof(ImageProjection))
    {
        this.tokens = tokens;
        dim = crossAttentionDim;
        proj = nn.Linear(embeddingDim, tokens * crossAttentionDim);
        norm = nn.LayerNorm(crossAttentionDim);
        RegisterComponents();
    }

    /// <param name="input">[B, 512] (or [B, 1, 512]) face embedding.</param>
    /// <returns>[B, 4, 768]</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return norm.forward(proj.forward(input).reshape(-1, tokens, dim)).MoveToOuterDisposeScope();
    }
}
