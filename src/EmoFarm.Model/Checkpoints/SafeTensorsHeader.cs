using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace EmoFarm.Model.Checkpoints;

/// <summary>Parses and validates a safetensors header, naming the tensor and the problem on any inconsistency.</summary>
internal static class SafeTensorsHeader
{
    // A header larger than this is certainly corrupt; the reference implementation caps it at 100 MB too.
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    public static (IReadOnlyList<TensorEntry> Entries, IReadOnlyDictionary<string, string> Metadata) Parse(
        string path, SafeFileHandle handle, long fileLength)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        FileReads.ReadExactly(handle, 0, lengthBytes, path);
        var headerLength = BitConverter.ToInt64(lengthBytes);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || headerLength > fileLength - 8)
        {
            throw new InvalidDataException(
                $"{path}: header length {headerLength} is invalid for a file of {fileLength} bytes (corrupt or not a safetensors file).");
        }

        var header = new byte[headerLength];
        FileReads.ReadExactly(handle, 8, header, path);
        var dataStart = 8 + headerLength;
        var dataLength = fileLength - dataStart;

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: header is not valid JSON ({ex.Message}).", ex);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: header must be a JSON object.");
            }

            var entries = new List<TensorEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    ReadMetadata(path, prop.Value, metadata);
                    continue;
                }

                entries.Add(ReadEntry(path, prop.Name, prop.Value, dataStart, dataLength));
            }

            entries.Sort((a, b) => a.DataOffset.CompareTo(b.DataOffset));
            for (var i = 1; i < entries.Count; i++)
            {
                var prev = entries[i - 1];
                if (prev.DataOffset + prev.ByteLength > entries[i].DataOffset)
                {
                    throw new InvalidDataException($"{path}: tensor '{entries[i].Name}' overlaps tensor '{prev.Name}'.");
                }
            }

            return (entries, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: __metadata__ must be an object of strings.");
        }

        foreach (var m in value.EnumerateObject())
        {
            metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String
                ? m.Value.GetString()!
                : throw new InvalidDataException($"{path}: __metadata__ value '{m.Name}' is not a string.");
        }
    }

    private static TensorEntry ReadEntry(string path, string name, JsonElement value, long dataStart, long dataLength)
    {
        string Fail(string problem) => $"{path}: tensor '{name}': {problem}.";

        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeEl) || shapeEl.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offEl) || offEl.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException(Fail("entry needs 'dtype' (string), 'shape' and 'data_offsets' (arrays)"));
        }

        var dtype = dtypeEl.GetString()!;
        if (!SafeTensorsDType.TryParse(dtype, out var scalarType, out var elementSize))
        {
            throw new InvalidDataException(Fail($"unsupported dtype '{dtype}'"));
        }

        var shape = new List<long>();
        foreach (var d in shapeEl.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var dim) || dim < 0)
            {
                throw new InvalidDataException(Fail($"shape {shapeEl.GetRawText()} must hold non-negative integers"));
            }

            shape.Add(dim);
        }

        if (offEl.GetArrayLength() != 2
            || !offEl[0].TryGetInt64(out var begin) || !offEl[1].TryGetInt64(out var end)
            || begin < 0 || end < begin)
        {
            throw new InvalidDataException(Fail($"data_offsets {offEl.GetRawText()} must be [begin, end] with 0 <= begin <= end"));
        }

        if (end > dataLength)
        {
            throw new InvalidDataException(Fail($"data_offsets end {end} is past the data section ({dataLength} bytes; file truncated?)"));
        }

        var elements = shape.Aggregate(1L, (a, b) => a * b);
        if (elements * elementSize != end - begin)
        {
            throw new InvalidDataException(Fail(
                $"shape {ShapeFormat.Format(shape)} of {dtype} needs {elements * elementSize} bytes but data_offsets span {end - begin}"));
        }

        return new TensorEntry(name, dtype, scalarType, shape, dataStart + begin, end - begin);
    }
}
