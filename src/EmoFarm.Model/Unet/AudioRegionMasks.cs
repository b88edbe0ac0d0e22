using static TorchSharp.torch;

namespace EmoFarm.Model.Unet;

/// <summary>
/// Hallo's region masks for the audio cross-attentions: one tensor per UNet depth level (level 0 = full latent
/// resolution, each next level half as large; Hallo uses 64², 32², 16², 8² for 512² video), each shaped
/// [1, h·w], [B, h·w] or [B·F, h·w] with values in [0, 1]. Full is the background/pose region, Face the face
/// without lips, Lip the lips. The caller owns the tensors.
/// </summary>
public sealed record AudioRegionMasks(IReadOnlyList<Tensor> Full, IReadOnlyList<Tensor> Face, IReadOnlyList<Tensor> Lip)
{
    /// <summary>Masks of ones at every level: every audio branch sees the whole frame.</summary>
    public static AudioRegionMasks Ones(long latentHeight, long latentWidth, int levels, Device? device = null)
    {
        var list = new List<Tensor>();
        for (var i = 0; i < levels; i++)
        {
            var h = latentHeight >> i;
            var w = latentWidth >> i;
            list.Add(ones(1, h * w, device: device));
        }

        return new AudioRegionMasks(list, list, list);
    }
}
