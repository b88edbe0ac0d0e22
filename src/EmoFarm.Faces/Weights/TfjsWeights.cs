using System.Buffers.Binary;

namespace EmoFarm.Faces.Weights;

/// <summary>One weight of a TensorFlow.js model, dequantised to float32, in TensorFlow's layout.</summary>
internal sealed record TfjsTensor(string Name, long[] Shape, float[] Values);

/// <summary>
/// Reads a TensorFlow.js model (manifest plus shards) into float32 arrays. The face-api models are a few MB, so
/// holding them whole is fine; they are copied into TorchSharp parameters and dropped.
/// </summary>
internal static class TfjsWeights
{
    /// <param name="folder">The folder holding the manifest and its shards.</param>
    /// <param name="model">The model's name, e.g. <c>ssd_mobilenetv1_model</c>.</param>
    public static IReadOnlyDictionary<string, TfjsTensor> Load(string folder, string model)
    {
        var manifestPath = Path.Combine(folder, model + "-weights_manifest.json");
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException(
                $"face model '{model}' not found: {manifestPath} does not exist (scripts/install-face-api.sh fetches it)",
                manifestPath);
        }

        return Load(folder, TfjsManifest.Read(manifestPath).Groups, manifestPath);
    }

    /// <summary>The weights of <paramref name="groups"/>, whose shards lie in <paramref name="folder"/>.</summary>
    /// <param name="source">The file the groups came from, for error messages.</param>
    public static IReadOnlyDictionary<string, TfjsTensor> Load(string folder, IReadOnlyList<TfjsWeightGroup> groups, string source)
    {
        var result = new Dictionary<string, TfjsTensor>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            // A group's weights run back to back across the concatenation of its shards.
            var bytes = group.Paths.SelectMany(p => ReadShard(folder, p, source)).ToArray();
            long offset = 0;
            foreach (var spec in group.Weights)
            {
                var length = spec.ByteCount;
                if (offset + length > bytes.Length)
                {
                    throw new InvalidDataException(
                        $"{source}: weight '{spec.Name}' needs bytes {offset}..{offset + length}, shards hold {bytes.Length}");
                }

                result[spec.Name] = new TfjsTensor(spec.Name, [.. spec.Shape], Decode(spec, bytes.AsSpan((int)offset, (int)length)));
                offset += length;
            }

            if (offset != bytes.Length)
            {
                throw new InvalidDataException($"{source}: {bytes.Length - offset} bytes left over after the last weight");
            }
        }

        return result;
    }

    private static byte[] ReadShard(string folder, string shard, string source)
    {
        var path = Path.Combine(folder, shard);
        return File.Exists(path)
            ? File.ReadAllBytes(path)
            : throw new FileNotFoundException($"{source} names the weight shard '{shard}', but {path} does not exist", path);
    }

    internal static float[] Decode(TfjsWeightSpec spec, ReadOnlySpan<byte> data)
    {
        var values = new float[spec.ElementCount];
        var q = spec.Quantization;
        switch (q?.DType ?? spec.DType)
        {
            case "float32":
                for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]);
                break;
            case "int32":
                for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt32LittleEndian(data[(4 * i)..]);
                break;
            case "float16":
                for (var i = 0; i < values.Length; i++) values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(data[(2 * i)..]);
                break;
            case "uint8":
                var (s8, m8) = ScaleAndMin(spec);
                // TensorFlow.js computes q * scale + min in double and stores float32; so do we, bit for bit.
                for (var i = 0; i < values.Length; i++) values[i] = (float)((data[i] * s8) + m8);
                break;
            case "uint16":
                var (s16, m16) = ScaleAndMin(spec);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (float)((BinaryPrimitives.ReadUInt16LittleEndian(data[(2 * i)..]) * s16) + m16);
                }

                break;
            case var other:
                throw new InvalidDataException($"weight '{spec.Name}': quantisation '{other}' is not supported");
        }

        return values;
    }

    private static (double Scale, double Min) ScaleAndMin(TfjsWeightSpec spec) =>
        (spec.Quantization?.Scale ?? throw new InvalidDataException($"weight '{spec.Name}': quantised without a scale"),
         spec.Quantization.Min ?? throw new InvalidDataException($"weight '{spec.Name}': quantised without a min"));
}
