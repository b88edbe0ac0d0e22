using System.Text;
using static TorchSharp.torch;

namespace EmoFarm.Model.Checkpoints;

/// <summary>
/// The only globals a <c>torch.save</c> state dict names, and what "calling" each one means as data. Every other
/// global is refused by name the moment the pickle mentions it.
/// </summary>
internal sealed class TorchPickleCalls(string file)
{
    private const string OrderedDict = "collections.OrderedDict";
    private const string RebuildTensor = "torch._utils._rebuild_tensor_v2";
    private const string RebuildParameter = "torch._utils._rebuild_parameter";

    // One storage record may back several views; they must agree on what it holds.
    private readonly Dictionary<string, Storage> _storages = new(StringComparer.Ordinal);

    /// <summary>GLOBAL / STACK_GLOBAL: an allowed callable or storage class, or an <see cref="UnsafePickleException"/>.</summary>
    public object Global(string module, string name)
    {
        if (TorchStorageTypes.TryGet(module, name, out var type))
        {
            return new StorageClass(type);
        }

        var full = module + "." + name;
        return full is OrderedDict or RebuildTensor or RebuildParameter
            ? new Callable(full)
            : throw new UnsafePickleException(
                $"{file}: pickle calls {Printable(full)}, which a tensor state dict never needs; refusing to load it");
    }

    /// <summary>REDUCE: the result of an allowed call, built from its arguments.</summary>
    public object Reduce(object? callable, object? args)
    {
        if (args is not object?[] a)
        {
            throw Invalid($"REDUCE arguments are a {Describe(args)}, not a tuple");
        }

        return callable switch
        {
            Callable { Name: OrderedDict } when a.Length == 0 => new PickleDict(),
            Callable { Name: RebuildTensor } => Tensor(a),
            Callable { Name: RebuildParameter } when a is [TensorView data, bool, PickleDict] => data,
            Callable c => throw Invalid($"{c.Name} called with ({string.Join(", ", a.Select(Describe))})"),
            StorageClass => throw new UnsafePickleException($"{file}: pickle constructs a storage directly; refusing to load it"),
            _ => throw Invalid($"REDUCE on a {Describe(callable)}"),
        };
    }

    /// <summary>BINPERSID: torch.save's reference to a storage record, ('storage', class, key, location, numel).</summary>
    public Storage PersistentLoad(object? pid)
    {
        if (pid is not object?[] t || t is not ["storage", StorageClass type, string key, string, long elements] || elements < 0)
        {
            throw Invalid($"persistent id {Describe(pid)} is not ('storage', <torch storage class>, key, location, size)");
        }

        var storage = new Storage(type.Type, key, elements);
        if (_storages.TryGetValue(key, out var seen) && seen != storage)
        {
            throw Invalid($"storage '{key}' is named as {seen.Type}[{seen.Elements}] and as {storage.Type}[{elements}]");
        }

        _storages[key] = storage;
        return storage;
    }

    /// <summary>BUILD: an OrderedDict's instance attributes (a state dict's <c>_metadata</c>); nothing else.</summary>
    public static void Build(string file, object? target, object? state)
    {
        if (target is not PickleDict || state is not (PickleDict or null))
        {
            throw new UnsafePickleException(
                $"{file}: pickle sets the state of a {Describe(target)}, which a tensor state dict never needs; refusing to load it");
        }
    }

    public static string Describe(object? value) => value switch
    {
        null => "None",
        string => "str",
        long => "int",
        double => "float",
        bool => "bool",
        object?[] t => $"tuple({string.Join(", ", t.Select(Describe))})",
        List<object?> => "list",
        PickleDict => "dict",
        TensorView => "tensor",
        Storage => "storage",
        StorageClass => "storage class",
        Callable c => c.Name,
        _ => value.GetType().Name,
    };

    private TensorView Tensor(object?[] a)
    {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (a is not [Storage storage, long offset, object?[] size, object?[] stride, bool, PickleDict, ..] || a.Length > 7
            || size.Length != stride.Length || offset < 0)
        {
            throw Invalid($"_rebuild_tensor_v2 called with ({string.Join(", ", a.Select(Describe))})");
        }

        var shape = Longs(size, "size");
        var strides = Longs(stride, "stride");
        return new TensorView(storage, offset, shape, strides);
    }

    private long[] Longs(object?[] values, string what) =>
        values.Select(v => v is long n and >= 0 ? n : throw Invalid($"tensor {what} holds {Describe(v)}")).ToArray();

    private InvalidDataException Invalid(string problem) => new($"{file}: not a torch.save state dict: {problem}.");

    // Names come from the file: keep control characters out of messages and terminals.
    private static string Printable(string text)
    {
        var sb = new StringBuilder();
        foreach (var ch in text.Length > 120 ? text[..120] + "…" : text)
        {
            sb.Append(char.IsControl(ch) ? '?' : ch);
        }

        return sb.ToString();
    }

    public sealed record Callable(string Name);

    public sealed record StorageClass(ScalarType Type);

    public sealed record Storage(ScalarType Type, string Key, long Elements);

    public sealed record TensorView(Storage Storage, long Offset, long[] Shape, long[] Strides);

    /// <summary>A pickled dict or OrderedDict: insertion-ordered, a repeated key replaces the earlier value.</summary>
    public sealed class PickleDict
    {
        private readonly Dictionary<object, int> _index = [];

        public List<(object? Key, object? Value)> Items { get; } = [];

        public void Set(object? key, object? value)
        {
            if (key is not null && _index.TryGetValue(key, out var i))
            {
                Items[i] = (key, value);
                return;
            }

            if (key is not null && key is not object?[])
            {
                _index[key] = Items.Count;
            }

            Items.Add((key, value));
        }
    }
}
