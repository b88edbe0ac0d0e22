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
    /// <param name="stripPrefix">
    /// Removed from the keys (under <paramref name="prefix"/>) that start with it, before <paramref name="renames"/>.
    /// Unlike <paramref name="prefix"/> it filters nothing: keys without it load as they are and still count as
    /// unexpected, so a file with and one without a wrapper prefix (Wav2Vec2ForCTC's "wav2vec2.") both load strictly.
    /// </param>
    /// <param name="ignoredKeys">
    /// Checkpoint keys, exactly as stored, that belong to no module by design (a CTC head): skipped and listed in
    /// <see cref="LoadReport.Ignored"/> instead of <see cref="LoadReport.Unexpected"/>. Any other stray key still counts.
    /// </param>
    /// <returns>The report; when any shape mismatches, nothing at all is copied.</returns>
    public static LoadReport Load(
        nn.Module module,
        IEnumerable<ICheckpointFile> files,
        string prefix = "",
        IReadOnlyDictionary<string, string>? renames = null,
        IEnumerable<string>? allowedMissingPrefixes = null,
        bool dryRun = false,
        string stripPrefix = "",
        IEnumerable<string>? ignoredKeys = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(stripPrefix);
        var allowed = allowedMissingPrefixes?.ToList() ?? [];
        var ignorable = new HashSet<string>(ignoredKeys ?? [], StringComparer.Ordinal);
        var ignored = new List<string>();
        var available = IndexCheckpoint(files, prefix, stripPrefix, renames, ignorable, ignored);
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

        return new LoadReport(mismatched.Count == 0 ? plan.Count : 0, missing, allowedMissing, unexpected, mismatched)
        {
            Ignored = [.. ignored.Order(StringComparer.Ordinal)],
        };
    }

    private static Dictionary<string, (ICheckpointFile File, TensorEntry Entry)> IndexCheckpoint(
        IEnumerable<ICheckpointFile> files,
        string prefix,
        string stripPrefix,
        IReadOnlyDictionary<string, string>? renames,
        HashSet<string> ignorable,
        List<string> ignored)
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

                if (ignorable.Contains(entry.Name))
                {
                    ignored.Add(entry.Name);
                    continue;
                }

                var key = entry.Name[prefix.Length..];
                if (stripPrefix.Length > 0 && key.StartsWith(stripPrefix, StringComparison.Ordinal))
                {
                    key = key[stripPrefix.Length..];
                }

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
