using EmoFarm.Contracts.Rendering;
using static TorchSharp.torch;

namespace EmoFarm.Model.Rendering;

/// <summary>
/// The float pixels of the last motion frames a session returned, recognised by reference: the clip loop hands the
/// same images back as the next clip's motion frames, and Hallo conditions on the decoded floats, not on bytes.
/// </summary>
internal sealed class MotionMemory : IDisposable
{
    private readonly (RgbImage Image, Tensor Pixels)[] _frames;

    private MotionMemory((RgbImage, Tensor)[] frames) => _frames = frames;

    public static MotionMemory Empty { get; } = new([]);

    /// <param name="images">The clip's frames as returned.</param>
    /// <param name="pixels">The same frames [F, 3, H, W] in [0, 1].</param>
    public static MotionMemory Keep(IReadOnlyList<RgbImage> images, Tensor pixels, int count)
    {
        var first = Math.Max(0, images.Count - count);
        return new([.. Enumerable.Range(first, images.Count - first)
            .Select(i => (images[i], pixels.narrow(0, i, 1).clone().DetachFromDisposeScope()))]);
    }

    /// <returns>[1, 3, H, W] in [0, 1], or null when <paramref name="image"/> is not one of the kept frames.</returns>
    public Tensor? Pixels(RgbImage image) =>
        _frames.FirstOrDefault(f => ReferenceEquals(f.Image, image)).Pixels;

    public void Dispose()
    {
        foreach (var (_, pixels) in _frames)
            pixels.Dispose();
    }
}
