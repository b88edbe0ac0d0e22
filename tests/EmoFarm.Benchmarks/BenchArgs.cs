using System.Globalization;

namespace EmoFarm.Benchmarks;

/// <summary>"--name value" pairs; every option has a default, so a typo fails loudly instead of being ignored.</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _read = [];

    private BenchArgs(Dictionary<string, string> values) => _values = values;

    public static BenchArgs Parse(IEnumerable<string> args)
    {
        var list = args.ToList();
        if (list.Count % 2 != 0 || list.Where((_, i) => i % 2 == 0).Any(a => !a.StartsWith("--", StringComparison.Ordinal)))
            throw new ArgumentException("options are --name value pairs");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i += 2)
            values[list[i][2..]] = list[i + 1];
        return new BenchArgs(values);
    }

    public int Int(string name, int fallback, int min = 0)
    {
        _read.Add(name);
        var value = _values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        return value >= min ? value : throw new ArgumentOutOfRangeException(name, value, $"--{name} must be at least {min}");
    }

    /// <summary>A comma-separated list of integers, each at least <paramref name="min"/>.</summary>
    public IReadOnlyList<int> Ints(string name, int[] fallback, int min = 0)
    {
        _read.Add(name);
        var values = _values.TryGetValue(name, out var text) ? [.. text.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))] : fallback;
        return values.All(v => v >= min) ? values : throw new ArgumentOutOfRangeException(name, text, $"--{name}: every value must be at least {min}");
    }

    /// <summary>Call after every option has been read.</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException("unknown options: " + string.Join(", ", unknown.Select(k => "--" + k)));
    }
}
