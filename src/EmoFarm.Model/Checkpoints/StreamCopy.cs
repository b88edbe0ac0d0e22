using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Model.Checkpoints;

/// <summary>Fills a contiguous tensor from a stream of raw elements in bounded chunks, converting dtype and device.</summary>
internal static class StreamCopy
{
    /// <param name="stream">Positioned at the first element.</param>
    /// <param name="target">Contiguous; all its elements are read.</param>
    /// <param name="stored">The element type in the stream.</param>
    /// <param name="path">The file, for messages.</param>
    /// <param name="name">The tensor, for messages.</param>
    public static void Read(Stream stream, Tensor target, ScalarType stored, string path, string name)
    {
        var elementSize = SafeTensorsDType.SizeOf(stored);
        var count = target.numel();
        var direct = target.device_type == DeviceType.CPU && target.dtype == stored;
        var perChunk = Math.Max(1, SafeTensorsFile.ChunkBytes / elementSize);
        using var flat = target.view(-1);
        // One staging buffer per call, reused across chunks: fresh allocations would page-fault on every chunk.
        using var staging = direct ? null : empty([Math.Min(perChunk, count)], stored);
        for (long start = 0; start < count; start += perChunk)
        {
            var n = Math.Min(perChunk, count - start);
            using var slice = flat.narrow(0, start, n);
            if (staging is null)
            {
                Fill(stream, slice.bytes, path, name);
            }
            else
            {
                using var part = staging.narrow(0, 0, n);
                Fill(stream, part.bytes, path, name);
                slice.copy_(part);
            }
        }
    }

    private static void Fill(Stream stream, Span<byte> destination, string path, string name)
    {
        try
        {
            stream.ReadExactly(destination);
        }
        catch (EndOfStreamException ex)
        {
            throw new EndOfStreamException($"{path}: the storage of '{name}' ends early (truncated?).", ex);
        }
    }
}
