using System.Globalization;
using System.Text.Json;
using EmoFarm.Contracts;
using EmoFarm.Farm.Planning;
using StackExchange.Redis;

namespace EmoFarm.Farm.State;

/// <summary>
/// Job state in Redis. A render is one hash (an immutable JSON "doc" plus mutable counters), its segments and seams
/// are hashes beside it, and every change publishes on the render's channel. Lists come from a sorted set rather
/// than key scans, so paging stays cheap with millions of renders.
/// </summary>
public sealed partial class RedisRenderStore(IConnectionMultiplexer redis, string prefix = "emofarm:") : IRenderStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IDatabase _db = redis.GetDatabase();

    private RedisKey RenderKey(string id) => $"{prefix}render:{id}";
    private RedisKey SegmentsKey(string id) => $"{prefix}render:{id}:segments";
    private RedisKey SeamsKey(string id) => $"{prefix}render:{id}:seams";
    private RedisKey QualityKey(string id) => $"{prefix}render:{id}:quality";
    private RedisKey IndexKey => $"{prefix}renders";
    private RedisKey TenantIndexKey(string tenant) => $"{prefix}tenant:{tenant}:renders";
    // Renders of the tenant not yet terminal, with their audio in milliseconds: what its quota counts.
    private RedisKey TenantActiveKey(string tenant) => $"{prefix}tenant:{tenant}:active";
    private RedisKey UnfinishedKey => $"{prefix}unfinished";
    private RedisChannel Channel(string id) => RedisChannel.Literal($"{prefix}changes:{id}");
    private static string Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    public async Task<(RenderRecord Render, bool Created)> CreateAsync(RenderRecord render, IReadOnlyList<SegmentPlan> segments, ActiveRenderLimits limits, CancellationToken ct)
    {
        var doc = JsonSerializer.Serialize(render with { State = RenderState.Queued }, Json);
        var args = new List<RedisValue>
        {
            render.Id, doc, render.CreatedAt.ToUnixTimeMilliseconds(), render.Tenant, Milliseconds(render.AudioSeconds),
            limits.MaxRenders ?? -1, limits.MaxAudioSeconds is { } max ? Milliseconds(max) : -1,
        };
        foreach (var s in segments)
        {
            args.AddRange([$"{s.Index}:first", s.FirstFrame, $"{s.Index}:count", s.FrameCount, $"{s.Index}:state", (int)SegmentState.Pending]);
        }
        // Per tenant: two tenants that happen to pick the same key get two renders.
        RedisKey idem = render.IdempotencyKey is { } key ? $"{prefix}idempotency:{render.Tenant}:{key}" : "";
        var existing = (string?)await _db.ScriptEvaluateAsync(RedisScripts.Create,
            [RenderKey(render.Id), SegmentsKey(render.Id), idem, IndexKey, UnfinishedKey, $"{prefix}sequence", TenantIndexKey(render.Tenant), TenantActiveKey(render.Tenant)],
            [.. args]);
        if (string.IsNullOrEmpty(existing))
            return (render, true);
        if (existing.StartsWith('!'))
            throw ActiveQuota.Refusal(render.Tenant, existing, limits);
        return (await GetAsync(existing, ct) ?? throw new InvalidOperationException($"idempotency key {render.IdempotencyKey} points at missing render {existing}"), false);
    }

    public async Task<ActiveUsage> GetActiveUsageAsync(string tenant, CancellationToken ct)
    {
        var milliseconds = await _db.HashValuesAsync(TenantActiveKey(tenant));
        return new ActiveUsage(milliseconds.Length, milliseconds.Sum(ms => (long)ms) / 1000.0);
    }

    public async Task<RenderRecord?> GetAsync(string renderId, CancellationToken ct)
    {
        var fields = await _db.HashGetAllAsync(RenderKey(renderId));
        if (fields.Length == 0)
            return null;
        var map = fields.ToDictionary(f => (string)f.Name!, f => f.Value);
        var doc = JsonSerializer.Deserialize<RenderRecord>((string)map["doc"]!, Json)!;
        return doc with
        {
            State = (RenderState)(int)map["state"],
            UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds((long)map["updated"]),
            RenderingSince = map.TryGetValue("renderingSince", out var since) ? DateTimeOffset.FromUnixTimeMilliseconds((long)since) : null,
            Error = map.TryGetValue("error", out var error) ? (string?)error : null,
            FramesDone = (long)map["framesDone"],
            SegmentsDone = (int)map["segmentsDone"],
            SeamsDone = (int)map["seamsDone"],
            Dispatched = map.ContainsKey("dispatched"),
            Output = map.TryGetValue("output", out var output) ? JsonSerializer.Deserialize<RenderOutput>((string)output!, Json) : null,
        };
    }

    private static long Milliseconds(double seconds) => (long)Math.Ceiling(seconds * 1000);

    public async Task<RenderPage> ListAsync(string? tenant, RenderState? state, int pageSize, string? cursor, CancellationToken ct)
    {
        // The cursor is the last returned render's index score and id; newest first. A state filter reads ahead in
        // batches, so a page is full unless the index runs out.
        var (maxScore, afterId) = ParseCursor(cursor);
        var result = new List<RenderRecord>();
        var exclude = Exclude.None;
        while (result.Count < pageSize)
        {
            var batch = await _db.SortedSetRangeByScoreWithScoresAsync(tenant is null ? IndexKey : TenantIndexKey(tenant), double.NegativeInfinity, maxScore, exclude, Order.Descending, 0, pageSize * 2);
            if (batch.Length == 0)
                return new RenderPage(result, null);
            foreach (var entry in batch)
            {
                var id = (string)entry.Element!;
                if (afterId is not null && entry.Score == maxScore && string.CompareOrdinal(id, afterId) >= 0 && exclude == Exclude.None)
                    continue;
                maxScore = entry.Score;
                afterId = id;
                var render = await GetAsync(id, ct);
                if (render is null || (state is not null && render.State != state))
                    continue;
                result.Add(render);
                if (result.Count == pageSize)
                    return new RenderPage(result, $"{maxScore.ToString(CultureInfo.InvariantCulture)}:{afterId}");
            }
            exclude = Exclude.Stop;
            afterId = null;
        }
        return new RenderPage(result, null);
    }

    private static (double Score, string? AfterId) ParseCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
            return (double.PositiveInfinity, null);
        var colon = cursor.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !double.TryParse(cursor.AsSpan(0, colon), NumberStyles.Float, CultureInfo.InvariantCulture, out var score))
            throw new ArgumentException("page_token is not a token this server issued", nameof(cursor));
        return (score, cursor[(colon + 1)..]);
    }

    public async Task<bool> TransitionAsync(string renderId, RenderState to, string? error, CancellationToken ct)
    {
        var from = string.Join(',', RenderStateMachine.AllowedFrom(to).Select(s => ((int)s).ToString(CultureInfo.InvariantCulture)));
        var result = (int)await _db.ScriptEvaluateAsync(RedisScripts.Transition,
            [RenderKey(renderId), UnfinishedKey, Channel(renderId).ToString()],
            [renderId, (int)to, from, error ?? "", Now(), RenderStateMachine.IsTerminal(to) ? 1 : 0, prefix]);
        if (result < 0)
            throw new KeyNotFoundException($"render {renderId} does not exist");
        return result == 1;
    }

    public async Task<IReadOnlyList<SegmentRecord>> GetSegmentsAsync(string renderId, CancellationToken ct)
    {
        var fields = (await _db.HashGetAllAsync(SegmentsKey(renderId))).ToDictionary(f => (string)f.Name!, f => f.Value);
        var segments = new List<SegmentRecord>();
        for (var i = 0; fields.ContainsKey($"{i}:count"); i++)
            segments.Add(ReadSegment(fields, i));
        return segments;
    }

    private static readonly string[] SegmentFields = ["first", "count", "state", "frames", "clips", "attempts", "worker", "error", "take"];

    // One segment's fields only: a worker's bookkeeping stays O(1) however many segments the render has.
    private async Task<SegmentRecord> GetSegmentAsync(string renderId, int i)
    {
        var values = await _db.HashGetAsync(SegmentsKey(renderId), [.. SegmentFields.Select(f => (RedisValue)$"{i}:{f}")]);
        var fields = SegmentFields.Zip(values).Where(p => !p.Second.IsNull).ToDictionary(p => $"{i}:{p.First}", p => p.Second);
        return ReadSegment(fields, i);
    }

    private static SegmentRecord ReadSegment(Dictionary<string, RedisValue> f, int i)
    {
        int Int(string name) => f.TryGetValue($"{i}:{name}", out var v) ? (int)v : 0;
        string? Str(string name) => f.TryGetValue($"{i}:{name}", out var v) ? (string?)v : null;
        return new SegmentRecord(i, Int("first"), Int("count"), (SegmentState)Int("state"), Int("frames"), Int("clips"), Int("attempts"), Str("worker"), Str("error"), Int("take"));
    }

    public async Task<SegmentAttempt> BeginSegmentAttemptAsync(string renderId, int segment, int take, string worker, int maxAttempts, CancellationToken ct)
    {
        var result = (int)await _db.ScriptEvaluateAsync(RedisScripts.BeginAttempt, [SegmentsKey(renderId), Channel(renderId).ToString()], [segment, worker, take, maxAttempts]);
        return new SegmentAttempt(await GetSegmentAsync(renderId, segment), Exhausted: result < 0);
    }

    public async Task<int> BeginSeamAttemptAsync(string renderId, int seam, int maxAttempts, CancellationToken ct) =>
        (int)await _db.ScriptEvaluateAsync(RedisScripts.BeginSeamAttempt, [SeamsKey(renderId)], [seam, maxAttempts]);

    public async Task RecordSeamFallbackAsync(string renderId, int seam, string reason, CancellationToken ct)
    {
        await _db.HashSetAsync(QualityKey(renderId), $"fallback:{seam}", reason);
        await _db.PublishAsync(Channel(renderId), "quality");
    }

    public async Task<bool> RetryAsync(string renderId, CancellationToken ct) =>
        (int)await _db.ScriptEvaluateAsync(RedisScripts.Retry,
            [RenderKey(renderId), SegmentsKey(renderId), SeamsKey(renderId), UnfinishedKey, Channel(renderId).ToString()],
            [renderId, Now(), (int)RenderState.Failed, (int)RenderState.Queued, prefix]) == 1;

    public async Task<SegmentRecord> RetakeSegmentAsync(string renderId, int segment, int fromTake, CancellationToken ct)
    {
        await _db.ScriptEvaluateAsync(RedisScripts.Retake, [RenderKey(renderId), SegmentsKey(renderId), Channel(renderId).ToString()], [segment, fromTake, Now()]);
        return await GetSegmentAsync(renderId, segment);
    }

    public Task RecordClipAsync(string renderId, int segment, int clipsDone, int framesDone, CancellationToken ct) =>
        _db.ScriptEvaluateAsync(RedisScripts.RecordClip, [RenderKey(renderId), SegmentsKey(renderId), Channel(renderId).ToString()],
            [segment, clipsDone, framesDone, Now()]);

    public async Task<int> CompleteSegmentAsync(string renderId, int segment, int take, CancellationToken ct) =>
        (int)await _db.ScriptEvaluateAsync(RedisScripts.CompleteSegment,
            [RenderKey(renderId), SegmentsKey(renderId), Channel(renderId).ToString(), QualityKey(renderId)], [segment, Now(), take]);

    public Task FailSegmentAsync(string renderId, int segment, string error, CancellationToken ct) =>
        _db.ScriptEvaluateAsync(RedisScripts.FailSegment, [SegmentsKey(renderId), Channel(renderId).ToString()], [segment, error]);

    public async Task<int> CompleteSeamAsync(string renderId, int seam, CancellationToken ct) =>
        (int)await _db.ScriptEvaluateAsync(RedisScripts.CompleteSeam, [RenderKey(renderId), SeamsKey(renderId), Channel(renderId).ToString()], [seam, Now()]);

    public async Task<IReadOnlySet<int>> GetDoneSeamsAsync(string renderId, CancellationToken ct) =>
        (await _db.HashGetAllAsync(SeamsKey(renderId))).Where(e => e.Value == "done").Select(e => (int)e.Name).ToHashSet();

    public Task MarkDispatchedAsync(string renderId, CancellationToken ct) =>
        _db.HashSetAsync(RenderKey(renderId), "dispatched", 1);

    public async Task SetOutputAsync(string renderId, RenderOutput output, CancellationToken ct)
    {
        await _db.HashSetAsync(RenderKey(renderId), [new("output", JsonSerializer.Serialize(output, Json)), new("updated", Now())]);
        await _db.PublishAsync(Channel(renderId), "output");
    }

    public async Task RecordQualityAsync(string renderId, SegmentQuality quality, CancellationToken ct)
    {
        await _db.HashSetAsync(QualityKey(renderId), $"take:{quality.SegmentIndex}:{quality.Take}", JsonSerializer.Serialize(quality, Json));
        await _db.PublishAsync(Channel(renderId), "quality");
    }

    public async Task RecordQualityAsync(string renderId, SeamQuality quality, CancellationToken ct)
    {
        await _db.HashSetAsync(QualityKey(renderId), $"seam:{quality.SeamIndex}", JsonSerializer.Serialize(quality, Json));
        await _db.PublishAsync(Channel(renderId), "quality");
    }

    public async Task<RenderQuality> GetQualityAsync(string renderId, CancellationToken ct)
    {
        var entries = await _db.HashGetAllAsync(QualityKey(renderId));
        List<T> Parse<T>(string kind) => [.. entries.Where(e => ((string)e.Name!).StartsWith(kind, StringComparison.Ordinal))
            .Select(e => JsonSerializer.Deserialize<T>((string)e.Value!, Json)!)];
        var fallbacks = entries.Where(e => ((string)e.Name!).StartsWith("fallback:", StringComparison.Ordinal))
            .ToDictionary(e => int.Parse(((string)e.Name!)["fallback:".Length..], CultureInfo.InvariantCulture), e => (string)e.Value!);
        return new RenderQuality(
            [.. Parse<SegmentQuality>("segment:").OrderBy(q => q.SegmentIndex)],
            RenderQuality.WithFallbacks(Parse<SeamQuality>("seam:"), fallbacks),
            [.. Parse<SegmentQuality>("take:").OrderBy(q => q.SegmentIndex).ThenBy(q => q.Take)]);
    }

    public async Task<RenderQuality> GetQualityAsync(string renderId, IReadOnlyCollection<int> segments, IReadOnlyCollection<int> seams, CancellationToken ct)
    {
        var values = await _db.HashGetAsync(QualityKey(renderId),
            [.. segments.Select(i => (RedisValue)$"segment:{i}"), .. seams.Select(i => (RedisValue)$"seam:{i}"), .. seams.Select(i => (RedisValue)$"fallback:{i}")]);
        List<T> Parse<T>(IEnumerable<RedisValue> found) => [.. found.Where(v => !v.IsNull).Select(v => JsonSerializer.Deserialize<T>((string)v!, Json)!)];
        var fallbacks = seams.Zip(values.Skip(segments.Count + seams.Count)).Where(p => !p.Second.IsNull).ToDictionary(p => p.First, p => (string)p.Second!);
        return new RenderQuality(Parse<SegmentQuality>(values.Take(segments.Count)),
            RenderQuality.WithFallbacks(Parse<SeamQuality>(values.Skip(segments.Count).Take(seams.Count)), fallbacks), []);
    }

    public async Task<IReadOnlyList<string>> ListUnfinishedAsync(CancellationToken ct) =>
        [.. (await _db.SetMembersAsync(UnfinishedKey)).Select(v => (string)v!)];

    public async Task<IAsyncDisposable> SubscribeAsync(string renderId, Action onChange, CancellationToken ct)
    {
        var subscriber = redis.GetSubscriber();
        var channel = Channel(renderId);
        Action<RedisChannel, RedisValue> handler = (_, _) => onChange();
        await subscriber.SubscribeAsync(channel, handler);
        return new Subscription(() => subscriber.UnsubscribeAsync(channel, handler));
    }

    private sealed class Subscription(Func<Task> unsubscribe) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await unsubscribe();
    }
}
