using EmoFarm.Faces.Weights;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Mesh;

/// <summary>
/// A small interpreter for TensorFlow.js graph models: the nodes the signature's outputs depend on, compiled once
/// into TorchSharp ops in dependency order. It keeps TensorFlow's NHWC semantics (padding, reshapes, broadcasting)
/// while computing images NCHW, as libtorch wants them. Ops it does not know are refused by name when it loads.
/// Not thread-safe: one graph per inference thread.
/// </summary>
internal sealed class TfjsGraph : IDisposable
{
    private readonly IReadOnlyList<GraphOp> steps;
    private readonly IReadOnlyDictionary<string, Tensor> constants;
    private readonly Dictionary<string, int> lastUse;
    private readonly string input;

    private TfjsGraph(IReadOnlyList<GraphOp> steps, IReadOnlyDictionary<string, Tensor> constants, string input, IReadOnlyDictionary<string, string> outputs)
    {
        this.steps = steps;
        this.constants = constants;
        this.input = input;
        Outputs = outputs;
        var uses = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            foreach (var name in steps[i].Inputs) uses[name] = i;
        }

        foreach (var node in outputs.Values) uses[node] = int.MaxValue;
        lastUse = uses;
    }

    /// <summary>The signature's outputs: their names and the nodes holding them.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; }

    /// <exception cref="NotSupportedException">The graph uses an op (or an op attribute) the interpreter lacks.</exception>
    /// <exception cref="InvalidDataException">The graph is malformed: a missing node, weight, or a cycle.</exception>
    public static TfjsGraph Load(TfjsGraphFile file, Device device)
    {
        var nodes = new Dictionary<string, TfjsGraphNode>(StringComparer.Ordinal);
        foreach (var node in file.Nodes)
        {
            if (!nodes.TryAdd(node.Name, node)) throw new InvalidDataException($"{file.Path}: two nodes are named '{node.Name}'");
        }

        var order = Order(file, nodes);
        var unknown = order.Where(n => !GraphOps.Knows(n.Op)).ToArray();
        if (unknown.Length > 0)
        {
            throw new NotSupportedException($"{file.Path}: " + string.Join("; ", unknown.Select(n => GraphOps.Unsupported(n).Message)));
        }

        TfjsTensor Constant(string name, TfjsGraphNode user)
        {
            if (!nodes.TryGetValue(name, out var node) || node.Op != "Const")
            {
                throw new InvalidDataException($"{file.Path}: node {user} needs '{name}' to be a Const node");
            }

            return file.Weights.TryGetValue(name, out var value)
                ? value
                : throw new InvalidDataException($"{file.Path}: Const node '{name}' has no weight in the manifest");
        }

        var steps = new List<GraphOp>();
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var node in order.Where(n => n.Op is not ("Const" or "Placeholder")))
            {
                var step = GraphOps.Build(node, Constant, device);
                steps.Add(step);
                foreach (var name in step.Inputs.Where(name => nodes[name].Op == "Const" && !values.ContainsKey(name)))
                {
                    var value = Constant(name, node);
                    using var raw = tensor(value.Values, value.Shape);
                    values[name] = GraphLayout.FromTf(raw).to(device);
                }
            }

            return new TfjsGraph(steps, values, file.Input, file.Outputs);
        }
        catch
        {
            steps.ForEach(s => s.Dispose());
            foreach (var value in values.Values) value.Dispose();
            throw;
        }
    }

    /// <param name="inputNhwc">The Placeholder's value, in TensorFlow's layout, on the graph's device.</param>
    /// <returns>Each signature output by name, in TensorFlow's layout; the caller disposes them.</returns>
    public IReadOnlyDictionary<string, Tensor> Run(Tensor inputNhwc)
    {
        using var scope = NewDisposeScope();
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [input] = GraphLayout.FromTf(inputNhwc) };
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var arguments = step.Inputs.Select(name => values.TryGetValue(name, out var v) ? v : constants[name]).ToArray();
            values[step.Node.Name] = step.Run(arguments);
            // Intermediates go as soon as nothing later reads them, so a batch's peak memory is a few layers'.
            foreach (var name in step.Inputs.Distinct())
            {
                if (lastUse[name] == i && values.Remove(name, out var done)) done.Dispose();
            }
        }

        var outputs = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, node) in Outputs)
        {
            var value = values.TryGetValue(node, out var v) ? v : constants[node];
            outputs[name] = GraphLayout.ToTf(value).MoveToOuterDisposeScope();
        }

        return outputs;
    }

    public void Dispose()
    {
        foreach (var step in steps) step.Dispose();
        foreach (var value in constants.Values) value.Dispose();
    }

    /// <summary>The nodes the outputs depend on, each after everything it reads (depth first from the outputs).</summary>
    private static List<TfjsGraphNode> Order(TfjsGraphFile file, Dictionary<string, TfjsGraphNode> nodes)
    {
        var order = new List<TfjsGraphNode>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the stack, true: done
        var stack = new Stack<(TfjsGraphNode Node, bool Expanded)>();
        foreach (var output in file.Outputs.Values) stack.Push((nodes[output], false));
        while (stack.Count > 0)
        {
            var (node, expanded) = stack.Pop();
            if (expanded)
            {
                state[node.Name] = true;
                order.Add(node);
                continue;
            }

            if (state.TryGetValue(node.Name, out var done))
            {
                if (!done) throw new InvalidDataException($"{file.Path}: the graph has a cycle through node {node}");
                continue;
            }

            state[node.Name] = false;
            stack.Push((node, true));
            foreach (var name in node.DataInputs())
            {
                if (!nodes.TryGetValue(name, out var source)) throw new InvalidDataException($"{file.Path}: node {node} reads '{name}', which the graph lacks");
                if (state.TryGetValue(name, out var finished))
                {
                    if (!finished) throw new InvalidDataException($"{file.Path}: the graph has a cycle through node {source}");
                    continue;
                }

                stack.Push((source, false));
            }
        }

        return order;
    }
}
