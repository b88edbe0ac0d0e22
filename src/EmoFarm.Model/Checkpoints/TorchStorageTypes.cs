using static TorchSharp.torch;

namespace EmoFarm.Model.Checkpoints;

/// <summary>The storage classes a <c>torch.save</c> pickle names (torch.HalfStorage, ...) and their element types.</summary>
internal static class TorchStorageTypes
{
    private static readonly Dictionary<string, ScalarType> ByName = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = ScalarType.Float32,
        ["HalfStorage"] = ScalarType.Float16,
        ["BFloat16Storage"] = ScalarType.BFloat16,
        ["DoubleStorage"] = ScalarType.Float64,
        ["LongStorage"] = ScalarType.Int64,
        ["IntStorage"] = ScalarType.Int32,
        ["ShortStorage"] = ScalarType.Int16,
        ["CharStorage"] = ScalarType.Int8,
        ["ByteStorage"] = ScalarType.Byte,
        ["BoolStorage"] = ScalarType.Bool,
    };

    /// <summary>Whether <paramref name="module"/>.<paramref name="name"/> is one of torch's storage classes.</summary>
    public static bool TryGet(string module, string name, out ScalarType type)
    {
        type = default;
        return module == "torch" && ByName.TryGetValue(name, out type);
    }
}
