using System.Text.Json;
using EmoFarm.Faces.Weights;

namespace EmoFarm.Faces.Mesh;

/// <summary>
/// A TensorFlow.js graph model as converted (<c>model.json</c> with <c>"format": "graph-model"</c>): the graph's
/// nodes, the weights of its <c>Const</c> nodes (from the shards its <c>weightsManifest</c> names), and the
/// signature's input and outputs, each mapped to the node that holds it.
/// </summary>
internal sealed record TfjsGraphFile(
    string Path,
    IReadOnlyList<TfjsGraphNode> Nodes,
    IReadOnlyDictionary<string, TfjsTensor> Weights,
    string Input,
    IReadOnlyDictionary<string, string> Outputs)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <exception cref="FileNotFoundException">The model or one of its shards is missing.</exception>
    /// <exception cref="InvalidDataException">It is not a graph model, or its weights do not fit the manifest.</exception>
    public static TfjsGraphFile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"TensorFlow.js graph model {path} does not exist", path);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        if (!root.TryGetProperty("modelTopology", out var topology) || !topology.TryGetProperty("node", out var nodes))
        {
            throw new InvalidDataException($"{path}: no modelTopology.node, not a TensorFlow.js graph model");
        }

        var parsed = nodes.EnumerateArray().Select(TfjsGraphNode.Parse).ToArray();
        var groups = root.TryGetProperty("weightsManifest", out var manifest)
            ? manifest.Deserialize<List<TfjsWeightGroup>>(Json) ?? []
            : [];
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var weights = TfjsWeights.Load(folder, groups, path);

        var placeholders = parsed.Where(n => n.Op == "Placeholder").Select(n => n.Name).ToArray();
        if (placeholders.Length != 1)
        {
            throw new InvalidDataException($"{path}: the graph has {placeholders.Length} Placeholder inputs; one is supported");
        }

        return new TfjsGraphFile(path, parsed, weights, placeholders[0], ReadOutputs(root, parsed, path));
    }

    // The signature names each output "node:0"; a model without one exposes the nodes nothing reads.
    private static Dictionary<string, string> ReadOutputs(JsonElement root, IReadOnlyList<TfjsGraphNode> nodes, string path)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("signature", out var signature) && signature.TryGetProperty("outputs", out var declared))
        {
            foreach (var output in declared.EnumerateObject())
            {
                var name = output.Value.GetProperty("name").GetString() ?? "";
                outputs[output.Name] = name.EndsWith(":0", StringComparison.Ordinal) ? name[..^2] : name;
            }
        }
        else
        {
            var read = nodes.SelectMany(n => n.DataInputs()).ToHashSet(StringComparer.Ordinal);
            foreach (var node in nodes.Where(n => !read.Contains(n.Name) && n.Op != "Const")) outputs[node.Name] = node.Name;
        }

        var known = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (output, node) in outputs)
        {
            if (!known.Contains(node)) throw new InvalidDataException($"{path}: output '{output}' names node '{node}', which the graph lacks");
        }

        return outputs.Count > 0 ? outputs : throw new InvalidDataException($"{path}: the graph has no outputs");
    }
}
