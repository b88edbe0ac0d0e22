using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace EmoFarm.Farm.Vocals;

/// <summary>
/// Finds an MDX-Net model's parameters as audio-separator 0.17.2 does (Separator.get_model_hash and
/// load_model_data_using_hash): by a hash of the model file, looked up in UVR's mdx_model_data.json.
/// </summary>
public static class MdxModelData
{
    /// <summary>audio-separator hashes the last 10,000 KiB of the file: f.seek(-10000 * 1024, 2).</summary>
    public const int HashTailBytes = 10_000 * 1024;

    /// <summary>
    /// The MD5, in lower-case hex, of the file's last <see cref="HashTailBytes"/> bytes; of the whole file when it is
    /// shorter, because there audio-separator's seek fails (EINVAL) and its fallback hashes everything.
    /// </summary>
    public static string ComputeHash(string modelPath)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        using var file = File.OpenRead(modelPath);
        if (file.Length > HashTailBytes)
            file.Seek(-HashTailBytes, SeekOrigin.End);
#pragma warning disable CA5351 // MD5 is UVR's key for its parameter table, an identifier here, not a security check.
        return Convert.ToHexStringLower(MD5.HashData(file));
#pragma warning restore CA5351
    }

    /// <summary>
    /// The entry for <paramref name="hash"/> in <paramref name="modelDataPath"/>. Throws
    /// <see cref="InvalidDataException"/> naming the json, the model and the hash when there is none, when the
    /// entry is not an MDX-Net one or a field is missing, and when its values are not what this port runs:
    /// 2 ** mdx_dim_t_set must be the segment size 256 (audio-separator uses ONNX Runtime only then), and the
    /// primary stem must be Vocals.
    /// </summary>
    public static MdxModelParameters Lookup(string modelDataPath, string hash, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(modelDataPath);
        ArgumentNullException.ThrowIfNull(hash);
        using var json = ParseFile(modelDataPath);
        if (json.RootElement.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{modelDataPath} is not a JSON object of hash -> parameters");
        if (!json.RootElement.TryGetProperty(hash, out var entry))
        {
            throw new InvalidDataException(
                $"{modelDataPath} has no entry for {modelPath}: its hash is {hash} (MD5 of the file's last " +
                $"{HashTailBytes} bytes, or of all of it when shorter, as audio-separator computes it), so its " +
                "parameters are unknown; is it the model the json was shipped with?");
        }

        string Where(string field) => $"{modelDataPath}, entry {hash} (the hash of {modelPath}), field \"{field}\"";
        if (entry.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{modelDataPath}, entry {hash}: not an object");
        if (entry.TryGetProperty("config_yaml", out _))
            throw new InvalidDataException($"{Where("config_yaml")}: an MDX23C model's entry, not an MDX-Net one");

        double Number(string field) =>
            entry.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number
                ? v.GetDouble()
                : throw new InvalidDataException($"{Where(field)}: missing or not a number");
        int Integer(string field) =>
            entry.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) && i > 0
                ? i
                : throw new InvalidDataException($"{Where(field)}: missing or not a positive integer");

        var compensate = Number("compensate");
        var dimF = Integer("mdx_dim_f_set");
        var dimTExponent = Integer("mdx_dim_t_set");
        var nFft = Integer("mdx_n_fft_scale_set");
        var primary = entry.TryGetProperty("primary_stem", out var stem) && stem.ValueKind == JsonValueKind.String
            ? stem.GetString()!
            : "Vocals";

        if (dimTExponent > 20 || 1 << dimTExponent != VocalSeparator.SegmentSize)
        {
            throw new InvalidDataException(
                $"{Where("mdx_dim_t_set")}: {dimTExponent} gives dim_t {(dimTExponent > 20 ? "> 2**20" : (1 << dimTExponent).ToString(CultureInfo.InvariantCulture))}, " +
                $"not the segment size {VocalSeparator.SegmentSize}; audio-separator would run such a model through onnx2torch, which this port does not do");
        }
        if (nFft % 2 != 0 || dimF > nFft / 2 + 1)
            throw new InvalidDataException($"{Where("mdx_dim_f_set")}: dim_f {dimF} does not fit n_fft {nFft} ({nFft / 2 + 1} bins)");
        if (VocalSeparator.HopLength * (VocalSeparator.SegmentSize - 1) <= nFft)
            throw new InvalidDataException($"{Where("mdx_n_fft_scale_set")}: n_fft {nFft} leaves no samples of a chunk after trimming n_fft / 2 at each end");
        if (!string.Equals(primary, "Vocals", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException(
                $"{Where("primary_stem")}: \"{primary}\"; only models whose primary stem is Vocals are supported " +
                "(audio-separator would derive the vocals as mix minus that stem)");
        }
        return new MdxModelParameters(hash, compensate, dimF, 1 << dimTExponent, nFft, primary);
    }

    private static JsonDocument ParseFile(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: UVR's mdx_model_data.json is not there; it ships beside the model", path);
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}
