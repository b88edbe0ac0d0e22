using System.Globalization;

namespace EmoFarm.Benchmarks;

/// <summary>The figures of one <see cref="FairShareBenchmark"/> run, measured from the workers' consume timings.</summary>
internal sealed record FairShareRun(
    bool Window, int Workers, double Throughput, Percentiles Dispatch, double BFirstWaitMs, double BDoneSeconds, double ADoneSeconds, int Starved, int Handoffs)
{
    /// <summary>
    /// Dispatch latency: from a segment becoming eligible (its render dispatched) and a worker being free (its
    /// previous segment finished), whichever is later, to that worker starting it. It is what a free worker waits
    /// while work is eligible: the broker's hand-off, plus with the window whatever the refill adds. A "starved"
    /// hand-off is one whose command was published only after its worker had become free.
    /// </summary>
    public static FairShareRun From(bool window, int workers, int serviceMs, IReadOnlyList<FairShareTimings.Entry> all, string a, string b,
        DateTime start, DateTime bDispatched, int total)
    {
        var first = all.GroupBy(e => (e.RenderId, e.Segment)).Select(g => g.First()).ToList();
        var dispatch = new List<double>();
        var starved = 0;
        var handoffs = 0;
        foreach (var worker in first.GroupBy(e => e.Worker))
        {
            DateTime? free = null;
            foreach (var e in worker.OrderBy(e => e.Started))
            {
                var eligible = e.RenderId == b ? bDispatched : start;
                var ready = free is { } f && f > eligible ? f : eligible;
                dispatch.Add((e.Started - ready).TotalMilliseconds);
                if (free is { } previous)
                {
                    handoffs++;
                    if (e.Sent > previous)
                        starved++;
                }
                free = e.Finished;
            }
        }
        var end = first.Max(e => e.Finished);
        var bEntries = first.Where(e => e.RenderId == b).ToList();
        return new FairShareRun(window, workers, first.Count / (end - start).TotalSeconds, new Percentiles(dispatch),
            bEntries.Count == 0 ? double.NaN : (bEntries.Min(e => e.Started) - bDispatched).TotalMilliseconds,
            bEntries.Count == 0 ? double.NaN : (bEntries.Max(e => e.Finished) - start).TotalSeconds,
            (first.Where(e => e.RenderId == a).Max(e => e.Finished) - start).TotalSeconds, starved, handoffs)
        {
            Complete = first.Count == total,
        };
    }

    public bool Complete { get; init; }

    public string Line(FairShareRun? single) => string.Create(CultureInfo.InvariantCulture,
        $"{(Window ? "window" : "publish-all"),-12} {Workers,7} {Throughput,6:F2} {(single is null ? 1 : Throughput / (Workers * single.Throughput)),8:P0} "
        + $"{Dispatch.Median,13:F1} {Dispatch[99],5:F1} {BFirstWaitMs,20:F0} {BDoneSeconds,11:F2} {ADoneSeconds,11:F2} {Starved,8}/{Handoffs}{(Complete ? "" : "  INCOMPLETE")}");
}
