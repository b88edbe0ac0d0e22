using EmoFarm.Contracts.Rendering;
using static TorchSharp.torch;

namespace EmoFarm.Model.Rendering;

/// <summary>RGB bytes ⇄ the VAE's [-1, 1] image tensors.</summary>
internal static class ImageTensors
{
    /// <returns>[N, 3, H, W] in [-1, 1] as float32 on the CPU.</returns>
    public static Tensor ToTensor(IReadOnlyList<RgbImage> images)
    {
        var (w, h) = (images[0].Width, images[0].Height);
        var bytes = new byte[images.Count * w * h * 3];
        for (var i = 0; i < images.Count; i++)
        {
            if (images[i].Width != w || images[i].Height != h)
                throw new ArgumentException($"image {i} is {images[i].Width}x{images[i].Height}, expected {w}x{h}");
            images[i].Pixels.CopyTo(bytes, i * w * h * 3);
        }
        using var scope = NewDisposeScope();
        // contiguous: libtorch 2.10 on the CPU convolves permuted views wrongly, and this feeds the VAE encoder.
        var t = tensor(bytes, [images.Count, h, w, 3]).permute(0, 3, 1, 2).to(ScalarType.Float32).contiguous();
        return (t / 127.5 - 1).MoveToOuterDisposeScope();
    }

    /// <param name="images">[N, 3, H, W] in [0, 1], any device and dtype.</param>
    public static IReadOnlyList<RgbImage> ToImages(Tensor images)
    {
        using var scope = NewDisposeScope();
        var (n, h, w) = ((int)images.shape[0], (int)images.shape[2], (int)images.shape[3]);
        // Hallo's tensor_to_video: np.clip(tensor * 255, 0, 255).astype(np.uint8), which truncates.
        var bytes = (images.to(ScalarType.Float32, CPU) * 255).clamp(0, 255).trunc().to(ScalarType.Byte)
            .permute(0, 2, 3, 1).contiguous().data<byte>().ToArray();
        var result = new RgbImage[n];
        for (var i = 0; i < n; i++)
            result[i] = new RgbImage(w, h, bytes.AsSpan(i * w * h * 3, w * h * 3).ToArray());
        return result;
    }
}
