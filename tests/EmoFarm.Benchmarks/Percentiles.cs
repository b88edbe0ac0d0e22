using System.Globalization;

namespace EmoFarm.Benchmarks;

/// <summary>Nearest-rank percentiles of a sample, printed in milliseconds.</summary>
internal sealed class Percentiles
{
    private readonly double[] _sorted;

    public Percentiles(IEnumerable<double> values)
    {
        _sorted = [.. values.Order()];
        if (_sorted.Length == 0)
            throw new ArgumentException("no samples", nameof(values));
    }

    public double this[double p] => _sorted[Math.Clamp((int)Math.Ceiling(p / 100 * _sorted.Length) - 1, 0, _sorted.Length - 1)];

    public double Median => this[50];

    public static string Header => "      p50      p90      p99      max";

    public string Row() => string.Create(CultureInfo.InvariantCulture, $"{this[50],9:F1}{this[90],9:F1}{this[99],9:F1}{this[100],9:F1}");
}
