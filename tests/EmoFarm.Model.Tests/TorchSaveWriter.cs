using System.IO.Compression;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

/// <summary>
/// Writes <c>torch.save</c> zip archives of a state dict the way torch 1.13 lays them out (root folder, data.pkl,
/// one storage record per tensor, version), for tests that need one without Python. The reader is checked against
/// a file torch itself wrote (Reference/torch_save.pth); this writer only has to match that shape.
/// </summary>
internal static class TorchSaveWriter
{
    public static void Write(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, ScalarType? dtype = null)
    {
        var pickle = new PickleBuilder().Proto().Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark();
        var storages = new Dictionary<string, byte[]>();
        foreach (var (name, tensor) in tensors)
        {
            using var stored = tensor.detach().to(dtype ?? tensor.dtype).cpu().contiguous();
            var key = storages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            storages[key] = stored.bytes.ToArray();
            pickle.String(name).Global("torch._utils", "_rebuild_tensor_v2")
                .Mark()
                .Mark().String("storage").Global("torch", StorageClass(stored.dtype)).String(key).String("cpu").Int(stored.numel()).Tuple()
                .BinPersId()
                .Int(0).Ints(stored.shape).Ints(stored.stride())
                .False()
                .Global("collections", "OrderedDict").EmptyTuple().Reduce()
                .Tuple()
                .Reduce();
        }

        WriteArchive(path, pickle.SetItems().Stop().ToArray(), storages);
    }

    /// <summary>An archive around any pickle: <c>&lt;root&gt;/data.pkl</c>, <c>data/&lt;key&gt;</c>, optional byteorder.</summary>
    public static void WriteArchive(
        string path, byte[] pickle, IReadOnlyDictionary<string, byte[]>? storages = null, string root = "archive", string? byteOrder = null)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Add(zip, $"{root}/data.pkl", pickle);
        if (byteOrder is not null)
        {
            Add(zip, $"{root}/byteorder", System.Text.Encoding.ASCII.GetBytes(byteOrder));
        }

        foreach (var (key, bytes) in storages ?? new Dictionary<string, byte[]>())
        {
            Add(zip, $"{root}/data/{key}", bytes);
        }

        Add(zip, $"{root}/version", "3\n"u8.ToArray());
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(bytes);
    }

    private static string StorageClass(ScalarType type) => type switch
    {
        ScalarType.Float32 => "FloatStorage",
        ScalarType.Float16 => "HalfStorage",
        ScalarType.BFloat16 => "BFloat16Storage",
        ScalarType.Float64 => "DoubleStorage",
        ScalarType.Int64 => "LongStorage",
        ScalarType.Int32 => "IntStorage",
        ScalarType.Byte => "ByteStorage",
        ScalarType.Bool => "BoolStorage",
        _ => throw new NotSupportedException($"no torch storage class for {type} here"),
    };
}
