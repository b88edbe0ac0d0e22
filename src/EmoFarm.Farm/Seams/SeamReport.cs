using EmoFarm.Contracts.Rendering;

namespace EmoFarm.Farm.Seams;

/// <summary>
/// How visible the seams are: the mean frame-to-frame difference across each seam boundary, divided by the same
/// measure everywhere else. 1 means a seam looks like any other frame change; a hard cut scores far above 1.
/// </summary>
public sealed record SeamReport(double InsideMean, IReadOnlyList<(int Frame, double Difference)> Boundaries)
{
    public double AcrossMean => Boundaries.Count == 0 ? 0 : Boundaries.Average(b => b.Difference);

    public double Ratio => InsideMean > 0 ? AcrossMean / InsideMean : double.PositiveInfinity;

    /// <param name="boundaries">Frames f where the source changes between f - 1 and f.</param>
    public static SeamReport Measure(IEnumerable<RgbImage> frames, IReadOnlySet<int> boundaries)
    {
        RgbImage? previous = null;
        double insideSum = 0;
        var insideCount = 0;
        var across = new List<(int, double)>();
        var index = 0;
        foreach (var frame in frames)
        {
            if (previous is not null)
            {
                var d = MeanAbsoluteDifference(previous, frame);
                if (boundaries.Contains(index))
                {
                    across.Add((index, d));
                }
                else
                {
                    insideSum += d;
                    insideCount++;
                }
            }
            previous = frame;
            index++;
        }
        return new SeamReport(insideCount == 0 ? 0 : insideSum / insideCount, across);
    }

    public static double MeanAbsoluteDifference(RgbImage a, RgbImage b)
    {
        if (a.Pixels.Length != b.Pixels.Length)
            throw new ArgumentException("frames differ in size");
        long sum = 0;
        for (var i = 0; i < a.Pixels.Length; i++)
            sum += Math.Abs(a.Pixels[i] - b.Pixels[i]);
        return sum / (double)a.Pixels.Length;
    }
}
