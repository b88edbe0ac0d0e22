namespace EmoFarm.Model.Tests;

/// <summary>Hallo's released parameter names and shapes (Reference/hallo-keys.tsv: name, shape, dtype).</summary>
internal static class HalloKeyList
{
    private static readonly Lazy<IReadOnlyList<(string Name, long[] Shape)>> Rows = new(Load);

    /// <summary>Rows under <paramref name="prefix"/>, with the prefix removed.</summary>
    public static Dictionary<string, long[]> Under(string prefix) =>
        Rows.Value.Where(r => r.Name.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(r => r.Name[prefix.Length..], r => r.Shape, StringComparer.Ordinal);

    private static List<(string Name, long[] Shape)> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Reference", "hallo-keys.tsv");
        return File.ReadLines(path)
            .Where(l => l.Length > 0)
            .Select(l => l.Split('\t'))
            .Select(p => (p[0], p[1].Length == 0 ? Array.Empty<long>() : p[1].Split(',').Select(long.Parse).ToArray()))
            .ToList();
    }
}
