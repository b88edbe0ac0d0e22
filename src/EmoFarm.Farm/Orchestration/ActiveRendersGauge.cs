using System.Diagnostics.Metrics;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Telemetry;
using Microsoft.Extensions.Hosting;

namespace EmoFarm.Farm.Orchestration;

/// <summary>
/// emofarm.renders.active{state}: unfinished renders by state, counted from the state store rather than from this
/// process's own transitions, because workers and other orchestrators move renders too. The store is read on a
/// timer, not in the gauge's callback, so a scrape never waits on Redis.
/// </summary>
public sealed class ActiveRendersGauge(IRenderStore store, TimeProvider clock) : BackgroundService
{
    private static readonly RenderState[] Unfinished = [RenderState.Queued, RenderState.Rendering, RenderState.Reconciling, RenderState.Encoding];
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(15);
    // One orchestrator per process in production; the meter is static, so the instrument and its reading are too.
    private static volatile IReadOnlyDictionary<RenderState, int> s_counts = new Dictionary<RenderState, int>();
    private static readonly ObservableGauge<int> Gauge = FarmTelemetry.Meter.CreateObservableGauge("emofarm.renders.active", Observe, "{render}", "Unfinished renders by state");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ = Gauge;
        using var timer = new PeriodicTimer(Period, clock);
        do
        {
            try
            {
                s_counts = await CountAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A store outage shows up elsewhere; the gauge keeps its last reading.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<IReadOnlyDictionary<RenderState, int>> CountAsync(CancellationToken ct)
    {
        var counts = Unfinished.ToDictionary(s => s, _ => 0);
        foreach (var id in await store.ListUnfinishedAsync(ct))
        {
            if (await store.GetAsync(id, ct) is { } render && counts.TryGetValue(render.State, out var n))
                counts[render.State] = n + 1;
        }

        return counts;
    }

    private static IEnumerable<Measurement<int>> Observe() =>
        s_counts.Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("state", c.Key.ToString().ToLowerInvariant())));
}
