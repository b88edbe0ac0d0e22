using EmoFarm.Model.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Unet;

/// <summary>The UNet data flow shared by <see cref="ReferenceNet"/> and <see cref="EmoUnet3D"/>, up to the head.</summary>
internal static class UnetPass
{
    public static Tensor TimeEmbedding(TimestepEmbedding embedding, UnetConfig config, Tensor timestep, long batch, Tensor like)
    {
        using var scope = NewDisposeScope();
        var t = Timesteps.Broadcast(timestep, batch, like.device);
        var features = Timesteps.Sinusoidal(t, (int)config.BlockOutChannels[0]).to(like.dtype);
        return embedding.forward(features).MoveToOuterDisposeScope();
    }

    public static Tensor Body(
        ModuleList<UnetDownBlock> downBlocks, UnetMidBlock midBlock, ModuleList<UnetUpBlock> upBlocks, Tensor afterConvIn, UnetRun run)
    {
        using var scope = NewDisposeScope();
        var skips = new List<Tensor> { afterConvIn };
        var h = afterConvIn;
        foreach (var down in downBlocks)
        {
            var (next, produced) = down.Forward(h, run);
            h = next;
            skips.AddRange(produced);
        }

        h = midBlock.Forward(h, run);
        for (var i = 0; i < upBlocks.Count; i++)
        {
            var up = upBlocks[i];
            var take = skips.GetRange(skips.Count - up.SkipCount, up.SkipCount);
            skips.RemoveRange(skips.Count - up.SkipCount, up.SkipCount);
            long[]? size = skips.Count > 0 && i < upBlocks.Count - 1 ? [skips[^1].shape[2], skips[^1].shape[3]] : null;
            h = up.Forward(h, take, size, run);
        }

        run.Reference?.EnsureConsumed();
        return h.MoveToOuterDisposeScope();
    }
}
