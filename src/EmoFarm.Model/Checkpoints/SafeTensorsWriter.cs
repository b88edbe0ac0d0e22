using System.Text.Json;
using static TorchSharp.torch;

namespace EmoFarm.Model.Checkpoints;

/// <summary>Writes .safetensors files (used by tests and by random-weights tools).</summary>
public static class SafeTensorsWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> in the given order. Each tensor is stored in its own dtype, or in
    /// <paramref name="dtype"/> when given (F32, F16 and BF16 are the useful ones).
    /// </summary>
    public static void Write(
        string path,
        IEnumerable<(string Name, Tensor Tensor)> tensors,
        IReadOnlyDictionary<string, string>? metadata = null,
        ScalarType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var items = tensors.ToList();
        var duplicate = items.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Tensor name '{duplicate.Key}' appears more than once.", nameof(tensors));
        }

        var header = BuildHeader(items, metadata, dtype);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Span<byte> lengthBytes = stackalloc byte[8];
        BitConverter.TryWriteBytes(lengthBytes, (long)header.Length);
        stream.Write(lengthBytes);
        stream.Write(header);
        foreach (var (_, tensor) in items)
        {
            using var stored = tensor.detach().to(dtype ?? tensor.dtype).cpu().contiguous();
            using var flat = stored.view(-1);
            var elementSize = SafeTensorsDType.SizeOf(stored.dtype);
            var perChunk = Math.Max(1, SafeTensorsFile.ChunkBytes / elementSize);
            for (long start = 0; start < flat.shape[0]; start += perChunk)
            {
                using var slice = flat.narrow(0, start, Math.Min(perChunk, flat.shape[0] - start));
                stream.Write(slice.bytes);
            }
        }
    }

    private static byte[] BuildHeader(
        List<(string Name, Tensor Tensor)> items, IReadOnlyDictionary<string, string>? metadata, ScalarType? dtype)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata)
                {
                    json.WriteString(k, v);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, tensor) in items)
            {
                var type = dtype ?? tensor.dtype;
                var bytes = tensor.numel() * SafeTensorsDType.SizeOf(type);
                json.WriteStartObject(name);
                json.WriteString("dtype", SafeTensorsDType.NameOf(type));
                json.WriteStartArray("shape");
                foreach (var d in tensor.shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }

            json.WriteEndObject();
        }

        // The format pads the header with spaces so that the data section starts 8-byte aligned.
        var padded = (int)((buffer.Length + 7) / 8 * 8);
        var header = new byte[padded];
        Array.Fill(header, (byte)' ');
        buffer.ToArray().CopyTo(header, 0);
        return header;
    }
}
