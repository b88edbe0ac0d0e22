using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Weights;

/// <summary>How a TensorFlow weight is laid out, and so how it becomes a PyTorch-layout parameter.</summary>
internal enum TfLayout
{
    /// <summary>Same layout in both (biases, scales, vectors).</summary>
    AsIs,

    /// <summary>conv2d filters [kh, kw, in, out] → [out, in, kh, kw].</summary>
    Conv,

    /// <summary>depthwise filters [kh, kw, in, multiplier] → [in·multiplier, 1, kh, kw].</summary>
    Depthwise,

    /// <summary>dense weights [in, out] → [out, in].</summary>
    Dense,
}

/// <summary>One parameter (or buffer) of a module, filled from one TensorFlow.js weight.</summary>
internal sealed record TfjsBinding(string Parameter, string Tfjs, TfLayout Layout = TfLayout.AsIs);

internal static class TfjsBinder
{
    /// <summary>
    /// Copies each bound weight into the module's state. Every entry of the module's state dict must be bound and
    /// every TensorFlow.js weight used, with matching shapes; otherwise nothing is trusted and the full list of
    /// differences is thrown, as a checkpoint load does.
    /// </summary>
    public static void Assign(nn.Module module, IReadOnlyDictionary<string, TfjsTensor> weights, IEnumerable<TfjsBinding> bindings)
    {
        var state = module.state_dict();
        var problems = new List<string>();
        var bound = new HashSet<string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        using var _ = no_grad();
        foreach (var binding in bindings)
        {
            bound.Add(binding.Parameter);
            if (!state.TryGetValue(binding.Parameter, out var target))
            {
                problems.Add($"bound parameter '{binding.Parameter}' does not exist in the module");
                continue;
            }

            if (!weights.TryGetValue(binding.Tfjs, out var source))
            {
                problems.Add($"weight '{binding.Tfjs}' (for '{binding.Parameter}') is missing from the manifest");
                continue;
            }

            used.Add(binding.Tfjs);
            using var converted = ToTorch(source, binding.Layout);
            if (!converted.shape.SequenceEqual(target.shape))
            {
                problems.Add($"'{binding.Tfjs}' [{string.Join(", ", source.Shape)}] as {binding.Layout} gives " +
                             $"[{string.Join(", ", converted.shape)}], '{binding.Parameter}' is [{string.Join(", ", target.shape)}]");
                continue;
            }

            target.copy_(converted);
        }

        problems.AddRange(state.Keys.Where(k => !bound.Contains(k)).Select(k => $"parameter '{k}' is not bound to any weight"));
        problems.AddRange(weights.Keys.Where(k => !used.Contains(k)).Select(k => $"weight '{k}' is not used"));
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{module.GetName()}: the TensorFlow.js weights do not fit:\n  " + string.Join("\n  ", problems));
        }
    }

    public static Tensor ToTorch(TfjsTensor source, TfLayout layout)
    {
        using var raw = tensor(source.Values, source.Shape);
        return layout switch
        {
            TfLayout.AsIs => raw.clone(),
            TfLayout.Conv => raw.permute(3, 2, 0, 1).contiguous(),
            TfLayout.Depthwise => raw.permute(2, 3, 0, 1).reshape(source.Shape[2] * source.Shape[3], 1, source.Shape[0], source.Shape[1]).contiguous(),
            TfLayout.Dense => raw.t().contiguous(),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, null),
        };
    }
}
