using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Frames;

namespace EmoFarm.Farm.Seams;

/// <summary>Linear blends between two renderings of the same frames.</summary>
public static class Crossfade
{
    /// <summary>Frame j of n moves from <paramref name="from"/> towards <paramref name="to"/> by (j + 1) / (n + 1),
    /// so neither end of the overlap repeats a neighbour's frame exactly.</summary>
    public static IReadOnlyList<RgbImage> Blend(IReadOnlyList<RgbImage> from, IReadOnlyList<RgbImage> to)
    {
        if (from.Count != to.Count)
            throw new ArgumentException($"cannot blend {from.Count} frames into {to.Count}");
        var result = new RgbImage[from.Count];
        for (var j = 0; j < from.Count; j++)
        {
            var t = (j + 1f) / (from.Count + 1f);
            var a = from[j].Pixels;
            var b = to[j].Pixels;
            var blended = new byte[a.Length];
            for (var p = 0; p < a.Length; p++)
                blended[p] = (byte)MathF.Round(a[p] + (b[p] - a[p]) * t);
            result[j] = from[j] with { Pixels = blended };
        }
        return result;
    }

    /// <summary>Blends the stored frames <paramref name="from"/>(f) into <paramref name="to"/>(f) over
    /// <paramref name="frames"/> and stores the result under <paramref name="output"/>(f).</summary>
    public static async Task BlendStoredAsync(FrameStore store, IReadOnlyList<int> frames,
        Func<int, string> from, Func<int, string> to, Func<int, string> output, CancellationToken ct)
    {
        var left = await store.GetManyAsync(frames.Select(from), ct);
        var right = await store.GetManyAsync(frames.Select(to), ct);
        await store.PutAsync([.. Blend(left, right).Select((image, j) => (output(frames[j]), image))], 8, ct);
    }
}
