using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Layers;

/// <summary>Normalisation layers that are safe to use on a freshly built, random-weights module.</summary>
public static class Norms
{
    /// <summary>
    /// nn.GroupNorm in TorchSharp 0.107 allocates weight/bias with torch.empty and never resets them, so a module
    /// that is not overwritten by a checkpoint would normalise into garbage. This sets PyTorch's defaults (1, 0).
    /// </summary>
    public static GroupNorm GroupNorm(long groups, long channels, double eps)
    {
        var norm = nn.GroupNorm(groups, channels, eps, affine: true);
        using (no_grad())
        {
            norm.weight!.fill_(1.0);
            norm.bias!.zero_();
        }

        return norm;
    }

    public static LayerNorm LayerNorm(long dim, double eps = 1e-5) => nn.LayerNorm(dim, eps);
}
