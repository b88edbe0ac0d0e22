namespace EmoFarm.Model.Checkpoints;

internal static class ShapeFormat
{
    public static string Format(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
