using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmoFarm.Faces.Weights;

/// <summary>
/// A TensorFlow.js weights manifest (<c>*-weights_manifest.json</c>): groups of binary shards, each group listing
/// the tensors stored back to back across its shards.
/// </summary>
internal sealed record TfjsManifest(IReadOnlyList<TfjsWeightGroup> Groups)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public static TfjsManifest Read(string path)
    {
        using var stream = File.OpenRead(path);
        var groups = JsonSerializer.Deserialize<List<TfjsWeightGroup>>(stream, Json)
            ?? throw new InvalidDataException($"{path}: not a TensorFlow.js weights manifest");
        return new TfjsManifest(groups);
    }
}

internal sealed record TfjsWeightGroup(
    [property: JsonPropertyName("paths")] IReadOnlyList<string> Paths,
    [property: JsonPropertyName("weights")] IReadOnlyList<TfjsWeightSpec> Weights);

internal sealed record TfjsWeightSpec(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("shape")] IReadOnlyList<long> Shape,
    [property: JsonPropertyName("dtype")] string DType,
    [property: JsonPropertyName("quantization")] TfjsQuantization? Quantization)
{
    public long ElementCount => Shape.Aggregate(1L, (n, d) => n * d);

    /// <summary>Bytes in the shard: the quantised width when quantised, else the dtype's.</summary>
    public long ByteCount => ElementCount * (Quantization?.DType ?? DType) switch
    {
        "uint8" or "int8" => 1,
        "uint16" or "int16" or "float16" => 2,
        "float32" or "int32" => 4,
        var other => throw new InvalidDataException($"weight '{Name}': dtype '{other}' is not supported"),
    };
}

/// <summary>
/// How a weight was quantised: <c>uint8</c>/<c>uint16</c> store <c>(value - min) / scale</c>; <c>float16</c> stores
/// IEEE half floats and has no scale.
/// </summary>
internal sealed record TfjsQuantization(
    [property: JsonPropertyName("dtype")] string DType,
    [property: JsonPropertyName("scale")] double? Scale,
    [property: JsonPropertyName("min")] double? Min);
