using static TorchSharp.torch;

namespace EmoFarm.Model.Unet;

/// <summary>
/// The reference UNet's "write bank": for each spatial self-attention, in execution order (down blocks, mid
/// block, up blocks — the order the denoising UNet consumes them), the normalised hidden states entering attn1,
/// shaped [Batch·(1+MotionFrames), h·w, C]. Per sample, slot 0 is the reference image and slots 1.. are the motion
/// frames of the previous clip. Owns its tensors: dispose it when the render (or clip) is done.
/// </summary>
public sealed class ReferenceFeatures : IDisposable
{
    internal ReferenceFeatures(IReadOnlyList<Tensor> layers, long batch, long motionFrames)
    {
        Layers = layers;
        Batch = batch;
        MotionFrames = motionFrames;
    }

    public IReadOnlyList<Tensor> Layers { get; }

    public long Batch { get; }

    public long MotionFrames { get; }

    /// <summary>Moves every layer to another device or dtype (e.g. bf16 on the GPU), returning a new owner.</summary>
    public ReferenceFeatures To(Device device, ScalarType dtype)
    {
        var moved = Layers.Select(l => l.to(dtype, device).DetachFromDisposeScope()).ToList();
        return new ReferenceFeatures(moved, Batch, MotionFrames);
    }

    public void Dispose()
    {
        foreach (var layer in Layers)
        {
            layer.Dispose();
        }
    }
}
