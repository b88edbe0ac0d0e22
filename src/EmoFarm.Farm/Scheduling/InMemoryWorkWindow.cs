namespace EmoFarm.Farm.Scheduling;

/// <summary>
/// The window for the embedded farm (<c>emofarm render</c>), whose state dies with its process anyway. One lock
/// makes each call atomic; the choices are those of <see cref="RedisWindowScripts"/>.
/// </summary>
public sealed class InMemoryWorkWindow : IWorkWindow
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Render> _renders = [];
    private readonly Dictionary<(string, string), (string Tenant, long? Unconfirmed)> _out = [];
    private readonly Dictionary<string, int> _count = [];

    private sealed class Render(string tenant, double order)
    {
        public string Tenant { get; } = tenant;
        public double Order { get; set; } = order;
        public SortedSet<(double Order, string Key)> Waiting { get; } = [];
        public Dictionary<string, string> Payloads { get; } = [];
        public HashSet<string> Out { get; } = [];
    }

    public Task<IReadOnlyList<WindowItem>> EnqueueAsync(string renderId, string tenant, double renderOrder, IReadOnlyList<WindowItem> items, CancellationToken ct)
    {
        lock (_lock)
        {
            if (!_renders.TryGetValue(renderId, out var render))
                _renders[renderId] = render = new Render(tenant, renderOrder);
            render.Order = renderOrder;
            var again = new List<WindowItem>();
            foreach (var item in items)
            {
                if (render.Out.Contains(item.Key))
                {
                    again.Add(item with { Payload = render.Payloads.GetValueOrDefault(item.Key, item.Payload) });
                    continue;
                }
                if (!render.Payloads.ContainsKey(item.Key))
                    render.Waiting.Add((item.Order, item.Key));
                render.Payloads[item.Key] = item.Payload;
            }
            Forget(renderId, render);
            return Task.FromResult<IReadOnlyList<WindowItem>>(again);
        }
    }

    public Task<IReadOnlyList<WindowItem>> ReserveAsync(SchedulingOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var depth = options.QueueDepth;
        var reserved = new List<WindowItem>();
        lock (_lock)
        {
            while (_out.Count < depth)
            {
                // Tenant furthest below its guarantee, else fewest out per weight, never past burst; ties by name.
                var best = _renders.Values.Where(r => r.Waiting.Count > 0).Select(r => r.Tenant).Distinct()
                    .Select(t => (Tenant: t, Share: options.For(t), Out: _count.GetValueOrDefault(t)))
                    .Where(c => c.Out < c.Share.BurstPlaces(depth))
                    .Select(c => (c.Tenant, Class: c.Out < c.Share.GuaranteedPlaces(depth) ? 0 : 1,
                        Key: c.Out < c.Share.GuaranteedPlaces(depth) ? (double)c.Out / c.Share.GuaranteedPlaces(depth) : c.Out / c.Share.Weight))
                    .OrderBy(c => c.Class).ThenBy(c => c.Key).ThenBy(c => c.Tenant, StringComparer.Ordinal).FirstOrDefault();
                if (best.Tenant is null)
                    break;
                var (id, render) = _renders.Where(r => r.Value.Tenant == best.Tenant && r.Value.Waiting.Count > 0)
                    .OrderBy(r => r.Value.Order).ThenBy(r => r.Key, StringComparer.Ordinal).First();
                var first = render.Waiting.Min;
                render.Waiting.Remove(first);
                render.Out.Add(first.Key);
                _out[(id, first.Key)] = (best.Tenant, now.ToUnixTimeMilliseconds());
                _count[best.Tenant] = _count.GetValueOrDefault(best.Tenant) + 1;
                reserved.Add(new WindowItem(id, first.Key, render.Payloads[first.Key]));
            }
        }
        return Task.FromResult<IReadOnlyList<WindowItem>>(reserved);
    }

    public Task ConfirmAsync(IReadOnlyList<WindowItem> items, CancellationToken ct)
    {
        lock (_lock)
        {
            foreach (var item in items)
            {
                if (_out.TryGetValue((item.RenderId, item.Key), out var entry))
                    _out[(item.RenderId, item.Key)] = entry with { Unconfirmed = null };
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> ReleaseAsync(string renderId, string key, CancellationToken ct)
    {
        lock (_lock)
        {
            if (!_out.Remove((renderId, key), out var entry))
                return Task.FromResult(false);
            Uncount(entry.Tenant);
            if (_renders.TryGetValue(renderId, out var render))
            {
                render.Out.Remove(key);
                render.Payloads.Remove(key);
                Forget(renderId, render);
            }
            return Task.FromResult(true);
        }
    }

    public Task RemoveAsync(string renderId, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_renders.Remove(renderId, out var render))
            {
                foreach (var key in render.Out)
                {
                    if (_out.Remove((renderId, key), out var entry))
                        Uncount(entry.Tenant);
                }
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WindowItem>> UnconfirmedAsync(DateTimeOffset before, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<WindowItem>>([.. _out
                .Where(e => e.Value.Unconfirmed < before.ToUnixTimeMilliseconds())
                .Select(e => new WindowItem(e.Key.Item1, e.Key.Item2, _renders[e.Key.Item1].Payloads.GetValueOrDefault(e.Key.Item2, "")))]);
        }
    }

    public Task<IReadOnlyList<string>> RendersAsync(CancellationToken ct)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<string>>([.. _renders.Keys]);
    }

    public Task<(IReadOnlyDictionary<string, int> Out, int Waiting)> CountsAsync(CancellationToken ct)
    {
        lock (_lock)
            return Task.FromResult<(IReadOnlyDictionary<string, int>, int)>((new Dictionary<string, int>(_count), _renders.Values.Sum(r => r.Waiting.Count)));
    }

    private void Uncount(string tenant)
    {
        if (--_count[tenant] <= 0)
            _count.Remove(tenant);
    }

    private void Forget(string renderId, Render render)
    {
        if (render.Waiting.Count == 0 && render.Out.Count == 0)
            _renders.Remove(renderId);
    }
}
