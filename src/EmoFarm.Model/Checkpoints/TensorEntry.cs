using static TorchSharp.torch;

namespace EmoFarm.Model.Checkpoints;

/// <summary>One tensor described by a safetensors header.</summary>
/// <param name="Name">The key, exactly as stored.</param>
/// <param name="DType">The safetensors dtype name ("F32", "F16", "BF16", ...).</param>
/// <param name="ScalarType">The TorchSharp element type of <paramref name="DType"/>.</param>
/// <param name="Shape">The tensor's shape; empty for a scalar.</param>
/// <param name="DataOffset">Absolute byte offset of the first element in the file.</param>
/// <param name="ByteLength">Number of bytes the tensor occupies.</param>
public sealed record TensorEntry(
    string Name,
    string DType,
    ScalarType ScalarType,
    IReadOnlyList<long> Shape,
    long DataOffset,
    long ByteLength)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public string ShapeText => ShapeFormat.Format(Shape);
}
