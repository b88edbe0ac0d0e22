using System.Text;
using System.Text.Json;

namespace EmoFarm.Faces.Mesh;

/// <summary>
/// One node of a TensorFlow.js graph model (a TensorFlow <c>NodeDef</c> in protobuf's JSON form): its op, the nodes
/// it reads and its attributes, each still the protobuf <c>AttrValue</c> JSON (<c>{"list": {"i": ["1", "2"]}}</c>,
/// <c>{"s": base64}</c>, <c>{"f": 0}</c>, ...).
/// </summary>
internal sealed record TfjsGraphNode(string Name, string Op, IReadOnlyList<string> Inputs, IReadOnlyDictionary<string, JsonElement> Attributes)
{
    public static TfjsGraphNode Parse(JsonElement node)
    {
        var name = node.GetProperty("name").GetString() ?? throw new InvalidDataException("a graph node without a name");
        var op = node.TryGetProperty("op", out var o) ? o.GetString() ?? "" : "";
        var inputs = node.TryGetProperty("input", out var i) ? i.EnumerateArray().Select(e => e.GetString() ?? "").ToArray() : [];
        var attributes = node.TryGetProperty("attr", out var a)
            ? a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)
            : new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        return new TfjsGraphNode(name, op, inputs, attributes);
    }

    /// <summary>The nodes whose values this one reads: control inputs (<c>^name</c>) dropped, <c>:0</c> stripped.</summary>
    public IEnumerable<string> DataInputs() => Inputs.Where(i => !i.StartsWith('^')).Select(i =>
    {
        var colon = i.LastIndexOf(':');
        if (colon < 0) return i;
        return i[(colon + 1)..] == "0"
            ? i[..colon]
            : throw new InvalidDataException($"node '{Name}' ({Op}) reads output {i}: only single-output ops are supported");
    });

    public bool Has(string attribute) => Attributes.ContainsKey(attribute);

    public string String(string attribute, string? fallback = null)
    {
        if (!Attributes.TryGetValue(attribute, out var value)) return fallback ?? throw Missing(attribute);
        return Encoding.UTF8.GetString(Convert.FromBase64String(value.GetProperty("s").GetString() ?? ""));
    }

    public IReadOnlyList<string> Strings(string attribute) =>
        Attributes.TryGetValue(attribute, out var value) && value.GetProperty("list").TryGetProperty("s", out var list)
            ? [.. list.EnumerateArray().Select(s => Encoding.UTF8.GetString(Convert.FromBase64String(s.GetString() ?? "")))]
            : [];

    /// <summary>An int list attribute; protobuf's JSON writes 64-bit ints as strings.</summary>
    public IReadOnlyList<long> Ints(string attribute, IReadOnlyList<long>? fallback = null)
    {
        if (!Attributes.TryGetValue(attribute, out var value)) return fallback ?? throw Missing(attribute);
        return value.GetProperty("list").TryGetProperty("i", out var list)
            ? [.. list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? long.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetInt64())]
            : [];
    }

    public override string ToString() => $"'{Name}' ({Op})";

    private InvalidDataException Missing(string attribute) => new($"node {this} has no '{attribute}' attribute");
}
