using System.Text.Json;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests.Parity;

/// <summary>
/// Just enough of the safetensors format for the parity check (F32, F16, BF16, I64, whole-file reads). The real
/// loader, with validation and memory mapping, lives in the Checkpoints feature.
/// </summary>
internal static class ParitySafetensors
{
    public static Dictionary<string, Tensor> Read(string path)
    {
        // Per-tensor reads: a full SD1.5 UNet file (3.4 GB) is larger than one .NET array may be.
        using var file = File.OpenRead(path);
        var lengthBytes = new byte[8];
        file.ReadExactly(lengthBytes);
        var headerBytes = new byte[(int)BitConverter.ToUInt64(lengthBytes, 0)];
        file.ReadExactly(headerBytes);
        using var header = JsonDocument.Parse(headerBytes);
        var dataStart = 8L + headerBytes.Length;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                continue;
            }

            var dtype = entry.Value.GetProperty("dtype").GetString();
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var buffer = new byte[offsets[1] - offsets[0]];
            file.Position = dataStart + offsets[0];
            file.ReadExactly(buffer);
            var span = buffer.AsSpan();
            result[entry.Name] = dtype switch
            {
                "F32" => tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(span).ToArray(), shape),
                "I64" => tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(span).ToArray(), shape),
                "F16" => tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(span).ToArray().Select(h => (float)h).ToArray(), shape),
                "BF16" => tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(span).ToArray().Select(b => BitConverter.Int32BitsToSingle(b << 16)).ToArray(), shape),
                _ => throw new NotSupportedException($"{entry.Name}: dtype {dtype} is not supported by the parity reader."),
            };
        }

        return result;
    }

    /// <summary>Copies every file tensor into the module's state; throws on missing, unexpected or mis-shaped keys.</summary>
    public static void LoadInto(nn.Module module, IReadOnlyDictionary<string, Tensor> weights)
    {
        var state = module.state_dict();
        var missing = state.Keys.Where(k => !weights.ContainsKey(k)).ToList();
        var unexpected = weights.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var mismatched = state.Keys.Where(weights.ContainsKey)
            .Where(k => !state[k].shape.SequenceEqual(weights[k].shape)).ToList();
        if (missing.Count + unexpected.Count + mismatched.Count > 0)
        {
            throw new InvalidDataException(
                $"missing [{string.Join(", ", missing.Take(10))}] unexpected [{string.Join(", ", unexpected.Take(10))}] " +
                $"mismatched [{string.Join(", ", mismatched.Take(10))}]");
        }

        using var _ = no_grad();
        foreach (var (name, target) in state)
        {
            target.copy_(weights[name]);
        }
    }
}
