using System.Text.Json;
using EmoFarm.Faces.Mesh;
using EmoFarm.Testing;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Tests;

/// <summary>
/// The TensorFlow.js graph interpreter on tiny hand-written graphs: it refuses ops it does not know by name, and it
/// keeps TensorFlow's NHWC meaning where its NCHW insides could leak (reshape order, channel padding, lopsided
/// 'SAME' pooling). Expected values are worked out by hand from TensorFlow's definitions.
/// </summary>
public sealed class TfjsGraphTests : IDisposable
{
    private readonly TempFolder folder = new("tfjs-graph");

    [Fact]
    public void Load_UnknownOp_FailsNamingTheOpAndNode()
    {
        var path = WriteGraph(
            [Placeholder([1, 2, 2, 3]), Node("weird/Erf", "Erf", "input")],
            "weird/Erf");
        var error = Assert.Throws<NotSupportedException>(() => TfjsGraph.Load(TfjsGraphFile.Read(path), CPU));
        Assert.Contains("op 'Erf'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'weird/Erf'", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnsupportedFusedOp_FailsNamingIt()
    {
        var path = WriteGraph(
            [Placeholder([1, 2, 2, 1]), Const("w", [1, 1, 1, 1]), Const("b", [1]),
             Node("conv", "_FusedConv2D", "input", "w", "b") with { Attr = ConvAttributes("BiasAdd", "Elu") }],
            "conv",
            ("w", [1, 1, 1, 1], [2f]), ("b", [1], [0f]));
        var error = Assert.Throws<NotSupportedException>(() => TfjsGraph.Load(TfjsGraphFile.Read(path), CPU));
        Assert.Contains("Elu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ReshapeOfAnImage_FlattensInNhwcOrder()
    {
        var path = WriteGraph([Placeholder([1, 2, 2, 3]), Const("shape", [1], "DT_INT32"), Node("flat", "Reshape", "input", "shape")], "flat",
            ("shape", [1], [-1f]));
        var input = Enumerable.Range(0, 12).Select(i => (float)i).ToArray();
        // NHWC flattening is the input's own row-major order.
        Assert.Equal(input, RunGraph(path, input, [1, 2, 2, 3]));
    }

    [Fact]
    public void Run_PadOnChannels_PadsTheLastAxis()
    {
        var path = WriteGraph([Placeholder([1, 1, 2, 2]), Const("pads", [4, 2], "DT_INT32"), Node("padded", "Pad", "input", "pads")], "padded",
            ("pads", [4, 2], [0, 0, 0, 0, 0, 0, 1, 0]));
        // Each pixel's channels (a, b) become (0, a, b).
        Assert.Equal([0, 1, 2, 0, 3, 4], RunGraph(path, [1, 2, 3, 4], [1, 1, 2, 2]));
    }

    [Fact]
    public void Run_SamePaddedMaxPoolOnOddInput_PadsBottomRightAndNeverPicksThePadding()
    {
        var path = WriteGraph([Placeholder([1, 3, 3, 1]), Node("pool", "MaxPool", "input") with { Attr = PoolAttributes() }], "pool");
        float[] input = [-9, -8, -7, -6, -5, -4, -3, -2, -1];
        // 'SAME', 2×2 windows, stride 2 on 3×3: ⌈3/2⌉ = 2 outputs, one padding row and column, both after.
        float[] expected = [Math.Max(Math.Max(-9, -8), Math.Max(-6, -5)), Math.Max(-7, -4), Math.Max(-3, -2), -1];
        Assert.Equal(expected, RunGraph(path, input, [1, 3, 3, 1]));
    }

    public void Dispose() => folder.Dispose();

    private static float[] RunGraph(string path, float[] input, long[] shape)
    {
        using var graph = TfjsGraph.Load(TfjsGraphFile.Read(path), CPU);
        using var value = tensor(input, shape);
        var outputs = graph.Run(value);
        using var result = Assert.Single(outputs).Value;
        return result.data<float>().ToArray();
    }

    private static GraphNode Placeholder(long[] shape) => new("input", "Placeholder", [], new Dictionary<string, object>
    {
        ["dtype"] = new { type = "DT_FLOAT" },
        ["shape"] = new { shape = new { dim = shape.Select(d => new { size = d.ToString(System.Globalization.CultureInfo.InvariantCulture) }) } },
    });

    private static GraphNode Const(string name, long[] shape, string dtype = "DT_FLOAT") => new(name, "Const", [], new Dictionary<string, object>
    {
        ["dtype"] = new { type = dtype },
        ["value"] = new { tensor = new { dtype, tensorShape = new { dim = shape.Select(d => new { size = d.ToString(System.Globalization.CultureInfo.InvariantCulture) }) } } },
    });

    private static GraphNode Node(string name, string op, params string[] inputs) => new(name, op, inputs, new Dictionary<string, object>());

    private static Dictionary<string, object> ConvAttributes(params string[] fused) => new()
    {
        ["strides"] = Ints(1, 1, 1, 1),
        ["dilations"] = Ints(1, 1, 1, 1),
        ["padding"] = Bytes("VALID"),
        ["data_format"] = Bytes("NHWC"),
        ["fused_ops"] = new { list = new { s = fused.Select(f => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(f))) } },
    };

    private static Dictionary<string, object> PoolAttributes() => new()
    {
        ["ksize"] = Ints(1, 2, 2, 1),
        ["strides"] = Ints(1, 2, 2, 1),
        ["padding"] = Bytes("SAME"),
        ["data_format"] = Bytes("NHWC"),
    };

    private static object Ints(params long[] values) => new { list = new { i = values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)) } };

    private static object Bytes(string value) => new { s = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value)) };

    /// <summary>A graph model file as the TensorFlow.js converter writes one, with its weights in one shard.</summary>
    private string WriteGraph(IReadOnlyList<GraphNode> nodes, string output, params (string Name, long[] Shape, float[] Values)[] weights)
    {
        var specs = weights.Select(w => new
        {
            name = w.Name,
            shape = w.Shape,
            dtype = nodes.First(n => n.Name == w.Name).Attr["dtype"].ToString()!.Contains("INT32", StringComparison.Ordinal) ? "int32" : "float32",
        }).ToArray();
        using (var shard = File.Create(folder.File("graph.bin")))
        using (var writer = new BinaryWriter(shard))
        {
            foreach (var (weight, spec) in weights.Zip(specs))
            {
                foreach (var v in weight.Values)
                {
                    if (spec.dtype == "int32") writer.Write((int)v);
                    else writer.Write(v);
                }
            }
        }

        var model = new
        {
            format = "graph-model",
            modelTopology = new { node = nodes.Select(n => new { name = n.Name, op = n.Op, input = n.Inputs, attr = n.Attr }) },
            signature = new { outputs = new Dictionary<string, object> { ["out"] = new { name = output + ":0" } } },
            weightsManifest = new[] { new { paths = new[] { "graph.bin" }, weights = specs } },
        };
        var path = folder.File("graph.json");
        File.WriteAllText(path, JsonSerializer.Serialize(model));
        return path;
    }

    private sealed record GraphNode(string Name, string Op, string[] Inputs, Dictionary<string, object> Attr);
}
