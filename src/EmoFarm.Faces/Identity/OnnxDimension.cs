namespace EmoFarm.Faces.Identity;

/// <summary>One dimension of an ONNX tensor: a fixed size, or dynamic with or without a symbol (scrfd's "?").</summary>
public readonly record struct OnnxDimension(long? Value, string? Symbol)
{
    public bool IsFixed => Value is not null;

    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Symbol ?? "dynamic";
}
