namespace EmoFarm.Faces.Identity;

/// <summary>A graph input or output as ONNX Runtime reports it: name, element type and shape.</summary>
public sealed record OnnxTensorDescription(string Name, string ElementType, IReadOnlyList<OnnxDimension> Shape)
{
    /// <summary>The size of dimension <paramref name="index"/> when it is fixed; null when dynamic or absent.</summary>
    public long? Dim(int index) => index < Shape.Count ? Shape[index].Value : null;

    public override string ToString() => $"{Name} {ElementType} [{string.Join(", ", Shape)}]";
}
