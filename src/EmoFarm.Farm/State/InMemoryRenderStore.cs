using EmoFarm.Contracts;
using EmoFarm.Farm.Planning;

namespace EmoFarm.Farm.State;

/// <summary>The embedded mode's store: one process, no services. One lock makes every operation atomic.</summary>
public sealed partial class InMemoryRenderStore : IRenderStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RenderRecord> _renders = [];
    private readonly Dictionary<string, SegmentRecord[]> _segments = [];
    private readonly Dictionary<string, HashSet<int>> _doneSeams = [];
    private readonly Dictionary<(string Tenant, string Key), string> _idempotency = [];
    private readonly Dictionary<string, List<Action>> _subscribers = [];
    private readonly Dictionary<string, long> _sequence = [];
    private readonly Dictionary<string, SortedDictionary<(int Segment, int Take), SegmentQuality>> _takeQuality = [];
    private readonly Dictionary<string, SortedDictionary<int, SegmentQuality>> _segmentQuality = [];
    private readonly Dictionary<string, SortedDictionary<int, SeamQuality>> _seamQuality = [];
    private readonly Dictionary<string, SortedDictionary<int, string>> _seamFallbacks = [];
    private readonly Dictionary<string, SortedDictionary<int, int>> _seamAttempts = [];

    public Task<(RenderRecord Render, bool Created)> CreateAsync(RenderRecord render, IReadOnlyList<SegmentPlan> segments, ActiveRenderLimits limits, CancellationToken ct)
    {
        lock (_gate)
        {
            if (render.IdempotencyKey is { } key && _idempotency.TryGetValue((render.Tenant, key), out var existing))
                return Task.FromResult((_renders[existing], false));
            if (limits.Refusal(render.Tenant, UsageOf(render.Tenant), render.AudioSeconds) is { } refusal)
                throw refusal;
            if (render.IdempotencyKey is { } newKey)
                _idempotency[(render.Tenant, newKey)] = render.Id;
            _renders[render.Id] = render;
            _sequence[render.Id] = _sequence.Count;
            _segments[render.Id] = [.. segments.Select(s => new SegmentRecord(s.Index, s.FirstFrame, s.FrameCount, SegmentState.Pending, 0, 0, 0, null, null))];
            _doneSeams[render.Id] = [];
            return Task.FromResult((render, true));
        }
    }

    public Task<ActiveUsage> GetActiveUsageAsync(string tenant, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult(UsageOf(tenant));
    }

    private ActiveUsage UsageOf(string tenant)
    {
        var active = _renders.Values.Where(r => r.Tenant == tenant && !RenderStateMachine.IsTerminal(r.State)).ToList();
        return new ActiveUsage(active.Count, active.Sum(r => r.AudioSeconds));
    }

    public Task<RenderRecord?> GetAsync(string renderId, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult(_renders.GetValueOrDefault(renderId));
    }

    public Task<RenderPage> ListAsync(string? tenant, RenderState? state, int pageSize, string? cursor, CancellationToken ct)
    {
        lock (_gate)
        {
            // Creation order, not the clock: renders created within one clock tick still list newest first.
            var ordered = _renders.Values.OrderByDescending(r => _sequence[r.Id]);
            var start = cursor is null ? ordered : ordered.SkipWhile(r => r.Id != cursor).Skip(1);
            var page = start.Where(r => (tenant is null || r.Tenant == tenant) && (state is null || r.State == state)).Take(pageSize + 1).ToList();
            var next = page.Count > pageSize ? page[pageSize - 1].Id : null;
            return Task.FromResult(new RenderPage(page.Take(pageSize).ToList(), next));
        }
    }

    public Task<bool> TransitionAsync(string renderId, RenderState to, string? error, CancellationToken ct)
    {
        lock (_gate)
        {
            var render = _renders[renderId];
            if (!RenderStateMachine.AllowedFrom(to).Contains(render.State))
                return Task.FromResult(false);
            var now = DateTimeOffset.UtcNow;
            Update(render with
            {
                State = to,
                Error = error ?? render.Error,
                UpdatedAt = now,
                RenderingSince = to == RenderState.Rendering ? now : render.RenderingSince,
            });
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<SegmentRecord>> GetSegmentsAsync(string renderId, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<SegmentRecord>>([.. _segments[renderId]]);
    }

    public Task<SegmentAttempt> BeginSegmentAttemptAsync(string renderId, int segment, int take, string worker, int maxAttempts, CancellationToken ct)
    {
        lock (_gate)
        {
            var s = _segments[renderId][segment];
            if (s.Take != take || s.State == SegmentState.Done)
                return Task.FromResult(new SegmentAttempt(s, false));
            if (s.Attempts >= maxAttempts)
                return Task.FromResult(new SegmentAttempt(s, true));
            var next = s with
            {
                Attempts = s.Attempts + 1,
                Worker = worker,
                State = s.State == SegmentState.Pending ? SegmentState.Rendering : s.State,
            };
            _segments[renderId][segment] = next;
            Notify(renderId);
            return Task.FromResult(new SegmentAttempt(next, false));
        }
    }

    public Task<int> BeginSeamAttemptAsync(string renderId, int seam, int maxAttempts, CancellationToken ct)
    {
        lock (_gate)
        {
            var attempts = Entry(_seamAttempts, renderId);
            var made = attempts.GetValueOrDefault(seam);
            if (_doneSeams[renderId].Contains(seam) || made >= maxAttempts)
                return Task.FromResult(0);
            attempts[seam] = made + 1;
            return Task.FromResult(made + 1);
        }
    }

    public Task RecordSeamFallbackAsync(string renderId, int seam, string reason, CancellationToken ct)
    {
        lock (_gate)
        {
            Entry(_seamFallbacks, renderId)[seam] = reason;
            Notify(renderId);
        }
        return Task.CompletedTask;
    }

    public Task<bool> RetryAsync(string renderId, CancellationToken ct)
    {
        lock (_gate)
        {
            var render = _renders[renderId];
            if (render.State != RenderState.Failed)
                return Task.FromResult(false);
            var segments = _segments[renderId];
            for (var i = 0; i < segments.Length; i++)
            {
                if (segments[i].State == SegmentState.Failed)
                    segments[i] = segments[i] with { State = SegmentState.Pending, Attempts = 0, Error = null };
            }

            Entry(_seamAttempts, renderId).Clear();
            Update(render with { State = RenderState.Queued, Error = null, Dispatched = false, UpdatedAt = DateTimeOffset.UtcNow });
            return Task.FromResult(true);
        }
    }

    public Task RecordClipAsync(string renderId, int segment, int clipsDone, int framesDone, CancellationToken ct)
    {
        lock (_gate)
        {
            var s = _segments[renderId][segment];
            if (clipsDone <= s.ClipsDone)
                return Task.CompletedTask;
            _segments[renderId][segment] = s with { ClipsDone = clipsDone, FramesDone = framesDone };
            var render = _renders[renderId];
            Update(render with { FramesDone = render.FramesDone + framesDone - s.FramesDone, UpdatedAt = DateTimeOffset.UtcNow });
            return Task.CompletedTask;
        }
    }

    public Task<SegmentRecord> RetakeSegmentAsync(string renderId, int segment, int fromTake, CancellationToken ct)
    {
        lock (_gate)
        {
            var s = _segments[renderId][segment];
            if (s.State is SegmentState.Done or SegmentState.Failed || s.Take != fromTake)
                return Task.FromResult(s);
            var next = s with { Take = fromTake + 1, State = SegmentState.Pending, ClipsDone = 0, FramesDone = 0, Attempts = 0, Error = null };
            _segments[renderId][segment] = next;
            var render = _renders[renderId];
            Update(render with { FramesDone = render.FramesDone - s.FramesDone, UpdatedAt = DateTimeOffset.UtcNow });
            return Task.FromResult(next);
        }
    }

    public Task<int> CompleteSegmentAsync(string renderId, int segment, int take, CancellationToken ct)
    {
        lock (_gate)
        {
            var s = _segments[renderId][segment];
            if (s.State == SegmentState.Done)
                return Task.FromResult(-1);
            _segments[renderId][segment] = s with { State = SegmentState.Done, FramesDone = s.FrameCount, Take = take };
            if (Entry(_takeQuality, renderId).TryGetValue((segment, take), out var kept))
                Entry(_segmentQuality, renderId)[segment] = kept;
            var render = _renders[renderId];
            var done = render.SegmentsDone + 1;
            Update(render with { SegmentsDone = done, FramesDone = render.FramesDone + s.FrameCount - s.FramesDone, UpdatedAt = DateTimeOffset.UtcNow });
            return Task.FromResult(done);
        }
    }

    public Task FailSegmentAsync(string renderId, int segment, string error, CancellationToken ct)
    {
        lock (_gate)
        {
            var s = _segments[renderId][segment];
            if (s.State != SegmentState.Done)
                _segments[renderId][segment] = s with { State = SegmentState.Failed, Error = error };
            Notify(renderId);
            return Task.CompletedTask;
        }
    }

    public Task<int> CompleteSeamAsync(string renderId, int seam, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_doneSeams[renderId].Add(seam))
                return Task.FromResult(-1);
            var render = _renders[renderId];
            Update(render with { SeamsDone = render.SeamsDone + 1, UpdatedAt = DateTimeOffset.UtcNow });
            return Task.FromResult(render.SeamsDone + 1);
        }
    }

    public Task<IReadOnlySet<int>> GetDoneSeamsAsync(string renderId, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlySet<int>>(new HashSet<int>(_doneSeams[renderId]));
    }

    public Task MarkDispatchedAsync(string renderId, CancellationToken ct)
    {
        lock (_gate)
            Update(_renders[renderId] with { Dispatched = true });
        return Task.CompletedTask;
    }

    public Task SetOutputAsync(string renderId, RenderOutput output, CancellationToken ct)
    {
        lock (_gate)
            Update(_renders[renderId] with { Output = output, UpdatedAt = DateTimeOffset.UtcNow });
        return Task.CompletedTask;
    }

    public Task RecordQualityAsync(string renderId, SegmentQuality quality, CancellationToken ct)
    {
        lock (_gate)
        {
            Entry(_takeQuality, renderId)[(quality.SegmentIndex, quality.Take)] = quality;
            Notify(renderId);
        }
        return Task.CompletedTask;
    }

    public Task RecordQualityAsync(string renderId, SeamQuality quality, CancellationToken ct)
    {
        lock (_gate)
        {
            Entry(_seamQuality, renderId)[quality.SeamIndex] = quality;
            Notify(renderId);
        }
        return Task.CompletedTask;
    }

    public Task<RenderQuality> GetQualityAsync(string renderId, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(new RenderQuality([.. Entry(_segmentQuality, renderId).Values],
                RenderQuality.WithFallbacks(Entry(_seamQuality, renderId).Values, Entry(_seamFallbacks, renderId)),
                [.. Entry(_takeQuality, renderId).Values]));
        }
    }

    public async Task<RenderQuality> GetQualityAsync(string renderId, IReadOnlyCollection<int> segments, IReadOnlyCollection<int> seams, CancellationToken ct)
    {
        var all = await GetQualityAsync(renderId, ct);
        return new RenderQuality([.. all.Segments.Where(q => segments.Contains(q.SegmentIndex))], [.. all.Seams.Where(q => seams.Contains(q.SeamIndex))], []);
    }

    private static SortedDictionary<TKey, T> Entry<TKey, T>(Dictionary<string, SortedDictionary<TKey, T>> map, string renderId) where TKey : notnull =>
        map.TryGetValue(renderId, out var entry) ? entry : map[renderId] = [];

    public Task<IReadOnlyList<string>> ListUnfinishedAsync(CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<string>>([.. _renders.Values.Where(r => !RenderStateMachine.IsTerminal(r.State)).Select(r => r.Id)]);
    }

    public Task<IAsyncDisposable> SubscribeAsync(string renderId, Action onChange, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_subscribers.TryGetValue(renderId, out var list))
                _subscribers[renderId] = list = [];
            list.Add(onChange);
        }
        return Task.FromResult<IAsyncDisposable>(new Unsubscriber(() =>
        {
            lock (_gate)
                _subscribers[renderId].Remove(onChange);
        }));
    }

    // Called under the lock.
    private void Update(RenderRecord render)
    {
        _renders[render.Id] = render;
        Notify(render.Id);
    }

    private void Notify(string renderId)
    {
        if (_subscribers.TryGetValue(renderId, out var list))
        {
            foreach (var callback in list.ToArray())
                ThreadPool.QueueUserWorkItem(_ => callback());
        }
    }

    private sealed class Unsubscriber(Action dispose) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            dispose();
            return ValueTask.CompletedTask;
        }
    }
}
