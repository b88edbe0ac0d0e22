using System.IO.Compression;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Model.Checkpoints;

/// <summary>
/// A read-only <c>torch.save</c> file in the zip format (torch ≥ 1.6): <c>&lt;root&gt;/data.pkl</c> describes the
/// state dict, <c>&lt;root&gt;/data/&lt;key&gt;</c> hold the storages' raw little-endian bytes. The pickle is read as
/// data by a restricted reader (<see cref="TorchUnpickler"/>) that refuses any global a state dict does not need, so
/// loading a file never runs code from it. Tensor data is streamed from the zip record into the target on copy.
/// </summary>
public sealed class TorchArchiveFile : ICheckpointFile
{
    // data.pkl of a full SD1.5-sized state dict is about 300 KB; anything near this is not a state dict.
    private const long MaxPickleBytes = 64L * 1024 * 1024;

    private readonly ZipArchive _zip;
    private readonly string _root;
    private readonly Dictionary<string, (TensorEntry Entry, TorchTensorEntry Tensor)> _byName;

    public TorchArchiveFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Path = path;
        var name = System.IO.Path.GetFileName(path);
        _zip = ZipFile.OpenRead(path);
        try
        {
            var pickles = _zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1).ToList();
            if (pickles.Count != 1)
            {
                throw new InvalidDataException($"{path}: a zip file, but not a torch.save archive ({pickles.Count} '<root>/data.pkl' records, needs one).");
            }

            _root = pickles[0].FullName[..^"data.pkl".Length];
            CheckByteOrder(path);
            Tensors = Describe(name, TorchUnpickler.ReadStateDict(name, ReadAll(pickles[0], MaxPickleBytes)));
            Entries = Tensors.Select(t => new TensorEntry(
                t.Name,
                SafeTensorsDType.NameOf(t.ScalarType),
                t.ScalarType,
                t.Shape,
                t.StorageOffset * SafeTensorsDType.SizeOf(t.ScalarType),
                t.ElementCount * SafeTensorsDType.SizeOf(t.ScalarType))).ToList();
            _byName = Entries.Zip(Tensors).ToDictionary(p => p.First.Name, p => (p.First, p.Second), StringComparer.Ordinal);
        }
        catch
        {
            _zip.Dispose();
            throw;
        }
    }

    public string Path { get; }

    public string Format => "torch.save zip";

    public IReadOnlyList<TensorEntry> Entries { get; }

    /// <summary>The same tensors as <see cref="Entries"/>, with where each lives: storage record, offset, strides.</summary>
    public IReadOnlyList<TorchTensorEntry> Tensors { get; }

    public bool TryGetEntry(string name, out TensorEntry entry)
    {
        var found = _byName.TryGetValue(name, out var both);
        entry = both.Entry;
        return found;
    }

    public TensorEntry this[string name] =>
        _byName.TryGetValue(name, out var e) ? e.Entry : throw new KeyNotFoundException($"{Path}: no tensor named '{name}'.");

    /// <summary>
    /// Copies one stored tensor into <paramref name="target"/> (any device and dtype) in place. A tensor whose view
    /// is one run of its storage streams in bounded chunks; a strided one (a transpose) is read as the span it covers
    /// and re-strided.
    /// </summary>
    public void CopyTo(TensorEntry entry, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(target);
        if (!_byName.TryGetValue(entry.Name, out var own) || !ReferenceEquals(own.Entry, entry))
        {
            throw new ArgumentException($"{Path}: the entry '{entry.Name}' does not belong to this file.", nameof(entry));
        }

        if (!entry.Shape.SequenceEqual(target.shape))
        {
            throw new ArgumentException(
                $"{Path}: tensor '{entry.Name}' has shape {entry.ShapeText} but the target has {ShapeFormat.Format(target.shape)}.",
                nameof(target));
        }

        var tensor = own.Tensor;
        if (tensor.ElementCount == 0)
        {
            return;
        }

        using var noGrad = torch.no_grad();
        using var stream = _zip.GetEntry(_root + "data/" + tensor.StorageKey)!.Open();
        var size = SafeTensorsDType.SizeOf(tensor.ScalarType);
        Skip(stream, tensor.StorageOffset * size);
        if (tensor.IsContiguous && target.is_contiguous())
        {
            using var flat = target.view(-1);
            StreamCopy.Read(stream, flat, tensor.ScalarType, Path, tensor.Name);
            return;
        }

        using var span = torch.empty([tensor.Extent], tensor.ScalarType);
        StreamCopy.Read(stream, span, tensor.ScalarType, Path, tensor.Name);
        using var view = span.as_strided([.. tensor.Shape], [.. tensor.Strides]);
        target.copy_(view);
    }

    public void Dispose() => _zip.Dispose();

    private void CheckByteOrder(string path)
    {
        // Written since torch 2.1; older archives (and 1.13's) have none and are little-endian.
        var record = _zip.GetEntry(_root + "byteorder");
        if (record is null)
        {
            return;
        }

        var order = Encoding.ASCII.GetString(ReadAll(record, 16)).Trim();
        if (order != "little")
        {
            throw new InvalidDataException($"{path}: storages are stored '{order}'-endian; only little-endian archives are read.");
        }
    }

    private List<TorchTensorEntry> Describe(string name, IReadOnlyList<(string Name, TorchPickleCalls.TensorView Tensor)> tensors)
    {
        var result = new List<TorchTensorEntry>(tensors.Count);
        foreach (var (key, view) in tensors)
        {
            var storage = view.Storage;
            var entry = new TorchTensorEntry(key, storage.Type, view.Shape, view.Strides, storage.Key, view.Offset, storage.Elements);
            var size = SafeTensorsDType.SizeOf(storage.Type);
            try
            {
                _ = checked(entry.StorageOffset + entry.Extent + (entry.ElementCount * size));
            }
            catch (OverflowException ex)
            {
                throw new InvalidDataException($"{name}: tensor '{key}' has sizes, strides or offset too large to address.", ex);
            }

            var record = _zip.GetEntry(_root + "data/" + storage.Key)
                ?? throw new InvalidDataException($"{name}: tensor '{key}' refers to storage record 'data/{storage.Key}', which the archive lacks.");
            if (record.Length < storage.Elements * size)
            {
                throw new InvalidDataException(
                    $"{name}: storage 'data/{storage.Key}' holds {record.Length} bytes but its {storage.Elements} {storage.Type} elements need {storage.Elements * size} (truncated?).");
            }

            if (entry.StorageOffset + entry.Extent > storage.Elements)
            {
                throw new InvalidDataException(
                    $"{name}: tensor '{key}' (offset {entry.StorageOffset}, shape {ShapeFormat.Format(entry.Shape)}, strides {ShapeFormat.Format(entry.Strides)}) reaches past its storage of {storage.Elements} elements.");
            }

            result.Add(entry);
        }

        return result;
    }

    private static byte[] ReadAll(ZipArchiveEntry record, long limit)
    {
        if (record.Length > limit)
        {
            throw new InvalidDataException($"{record.FullName}: {record.Length} bytes is more than the {limit} a state dict's record holds.");
        }

        var bytes = new byte[record.Length];
        using var stream = record.Open();
        stream.ReadExactly(bytes);
        return bytes;
    }

    // Zip record streams do not seek; views into a shared storage skip forward (state dicts rarely share).
    private static void Skip(Stream stream, long bytes)
    {
        var buffer = new byte[(int)Math.Min(bytes, 1 << 20)];
        while (bytes > 0)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(bytes, buffer.Length));
            if (read == 0)
            {
                throw new EndOfStreamException("storage record ended before the tensor's offset");
            }

            bytes -= read;
        }
    }
}
