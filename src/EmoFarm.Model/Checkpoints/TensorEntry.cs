using static TorchSharp.torch;

namespace EmoFarm.Model.Checkpoints;

/// <summary>One tensor of a checkpoint file, described by its header (safetensors) or its pickle (torch.save).</summary>
/// <param name="Name">The key, exactly as stored.</param>
/// <param name="DType">The safetensors dtype name ("F32", "F16", "BF16", ...).</param>
/// <param name="ScalarType">The TorchSharp element type of <paramref name="DType"/>.</param>
/// <param name="Shape">The tensor's shape; empty for a scalar.</param>
/// <param name="DataOffset">
/// Byte offset of the first element: from the start of the file in safetensors, from the start of the tensor's
/// storage record in a torch.save archive.
/// </param>
/// <param name="ByteLength">Number of bytes the tensor's elements occupy.</param>
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
