using StackExchange.Redis;

namespace EmoFarm.Farm.Scheduling;

/// <summary>The window in Redis (<see cref="RedisWindowScripts"/> for the layout), so it outlives any orchestrator.</summary>
public sealed class RedisWorkWindow(IConnectionMultiplexer redis, string prefix = "emofarm:") : IWorkWindow
{
    private readonly IDatabase _db = redis.GetDatabase();
    private readonly string _p = prefix + "sched:";

    public async Task<IReadOnlyList<WindowItem>> EnqueueAsync(string renderId, string tenant, double renderOrder, IReadOnlyList<WindowItem> items, CancellationToken ct)
    {
        var args = new List<RedisValue> { _p, renderId, tenant, renderOrder, 1 };
        foreach (var item in items)
            args.AddRange([item.Key, item.Order, item.Payload]);
        var again = (RedisResult[])(await _db.ScriptEvaluateAsync(RedisWindowScripts.Enqueue, values: [.. args]))!;
        return [.. Enumerable.Range(0, again.Length / 2).Select(i => new WindowItem(renderId, (string)again[2 * i]!, (string)again[2 * i + 1]!))];
    }

    public async Task<IReadOnlyList<WindowItem>> ReserveAsync(SchedulingOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var depth = options.QueueDepth;
        var args = new List<RedisValue>
        {
            _p, depth, now.ToUnixTimeMilliseconds(),
            options.Default.Weight, options.Default.GuaranteedPlaces(depth), options.Default.BurstPlaces(depth),
        };
        foreach (var (tenant, share) in options.Tenants)
            args.AddRange([tenant, share.Weight, share.GuaranteedPlaces(depth), share.BurstPlaces(depth)]);
        return Triples((RedisResult[])(await _db.ScriptEvaluateAsync(RedisWindowScripts.Reserve, values: [.. args]))!);
    }

    public Task ConfirmAsync(IReadOnlyList<WindowItem> items, CancellationToken ct) =>
        items.Count == 0 ? Task.CompletedTask : _db.SortedSetRemoveAsync(_p + "unconfirmed", [.. items.Select(i => (RedisValue)$"{i.RenderId}|{i.Key}")]);

    public async Task<bool> ReleaseAsync(string renderId, string key, CancellationToken ct) =>
        (int)await _db.ScriptEvaluateAsync(RedisWindowScripts.Release, values: [_p, renderId, key]) == 1;

    public Task RemoveAsync(string renderId, CancellationToken ct) =>
        _db.ScriptEvaluateAsync(RedisWindowScripts.Remove, values: [_p, renderId]);

    public async Task<IReadOnlyList<WindowItem>> UnconfirmedAsync(DateTimeOffset before, CancellationToken ct) =>
        Triples((RedisResult[])(await _db.ScriptEvaluateAsync(RedisWindowScripts.Unconfirmed, values: [_p, before.ToUnixTimeMilliseconds()]))!);

    public async Task<IReadOnlyList<string>> RendersAsync(CancellationToken ct) =>
        [.. (await _db.HashKeysAsync(_p + "renders")).Select(k => (string)k!)];

    public async Task<(IReadOnlyDictionary<string, int> Out, int Waiting)> CountsAsync(CancellationToken ct)
    {
        var counts = (await _db.HashGetAllAsync(_p + "count")).ToDictionary(e => (string)e.Name!, e => (int)e.Value);
        var waiting = 0;
        foreach (var id in await RendersAsync(ct))
            waiting += (int)await _db.SortedSetLengthAsync($"{_p}waiting:{id}");
        return (counts, waiting);
    }

    private static List<WindowItem> Triples(RedisResult[] r) =>
        [.. Enumerable.Range(0, r.Length / 3).Select(i => new WindowItem((string)r[3 * i]!, (string)r[3 * i + 1]!, (string)r[3 * i + 2]!))];
}
