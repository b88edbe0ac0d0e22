using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Model.Checkpoints;

/// <summary>Loads checkpoint files (safetensors, torch.save) into a module by state-dict name, validating every shape first.</summary>
public static class CheckpointLoader
{
    /// <summary>
    /// Copies the tensors of <paramref name="files"/> into <paramref name="module"/>'s parameters and persistent buffers.
    /// </summary>
    /// <param name="module">The destination; its state-dict names are the contract.</param>
    /// <param name="files">One or more files (a sharded checkpoint); a key present in two files is an error.</param>
    /// <param name="prefix">
    /// Only checkpoint keys starting with this are considered, with it stripped (e.g. "denoising_unet.").
    /// Keys outside the prefix belong to other modules and are neither loaded nor reported.
    /// </param>
    /// <param name="renames">
    /// Ordinal substring replacements applied to each checkpoint key after the prefix is stripped, mapping an
    /// alternative spelling onto the module's (e.g. "weight_g" to "parametrizations.weight.original0").
    /// Keys that already use the module's spelling are unaffected, so both spellings load.
    /// </param>
    /// <param name="allowedMissingPrefixes">Module-name prefixes that may be absent (optional sub-modules).</param>
    /// <param name="dryRun">Only compare names and shapes (e.g. for modules built on the meta device); copy nothing.</param>
    /// <returns>The report; when any shape mismatches, nothing at all is copied.</returns>
    public static LoadReport Load(
        nn.Module module,
        IEnumerable<ICheckpointFile> files,
        string prefix = "",
        IReadOnlyDictionary<string, string>? renames = null,
        IEnumerable<string>? allowedMissingPrefixes = null,
        bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(prefix);
        var allowed = allowedMissingPrefixes?.ToList() ?? [];
        var available = IndexCheckpoint(files, prefix, renames);
        var targets = module.state_dict();

        var missing = new List<string>();
        var allowedMissing = new List<string>();
        var mismatched = new List<ShapeMismatch>();
        var plan = new List<(Tensor Target, ICheckpointFile File, TensorEntry Entry)>();
        foreach (var (name, target) in targets)
        {
            if (!available.Remove(name, out var source))
            {
                (allowed.Any(p => name.StartsWith(p, StringComparison.Ordinal)) ? allowedMissing : missing).Add(name);
                continue;
            }

            if (!source.Entry.Shape.SequenceEqual(target.shape))
            {
                mismatched.Add(new ShapeMismatch(name, source.Entry.Name, target.shape, source.Entry.Shape));
                continue;
            }

            plan.Add((target, source.File, source.Entry));
        }

        var unexpected = available.Values.Select(v => v.Entry.Name).Order(StringComparer.Ordinal).ToList();
        if (mismatched.Count == 0 && !dryRun)
        {
            using var noGrad = torch.no_grad();
            foreach (var (target, file, entry) in plan)
            {
                file.CopyTo(entry, target);
            }
        }

        return new LoadReport(mismatched.Count == 0 ? plan.Count : 0, missing, allowedMissing, unexpected, mismatched);
    }

    private static Dictionary<string, (ICheckpointFile File, TensorEntry Entry)> IndexCheckpoint(
        IEnumerable<ICheckpointFile> files, string prefix, IReadOnlyDictionary<string, string>? renames)
    {
        var index = new Dictionary<string, (ICheckpointFile File, TensorEntry Entry)>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var entry in file.Entries)
            {
                if (!entry.Name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var key = entry.Name[prefix.Length..];
                foreach (var (from, to) in renames ?? new Dictionary<string, string>())
                {
                    key = key.Replace(from, to, StringComparison.Ordinal);
                }

                if (index.TryGetValue(key, out var previous))
                {
                    throw new InvalidDataException(
                        $"Checkpoint key '{key}' appears twice: '{previous.Entry.Name}' in {previous.File.Path} and '{entry.Name}' in {file.Path}.");
                }

                index[key] = (file, entry);
            }
        }

        return index;
    }
}
