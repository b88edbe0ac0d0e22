using EmoFarm.Contracts;
using EmoFarm.Farm.Planning;

namespace EmoFarm.Farm.State;

/// <summary>
/// Durable job state. Every mutation is atomic, so several orchestrators and workers may race on the same render
/// and exactly one wins each transition. Nothing the farm needs to resume lives anywhere else.
/// </summary>
public interface IRenderStore
{
    /// <summary>
    /// Stores a new render with its segments, or returns the render already stored under its tenant's idempotency
    /// key. Throws <see cref="QuotaExceededException"/>, having stored nothing, when the tenant's unfinished renders
    /// would go over <paramref name="limits"/>.
    /// </summary>
    Task<(RenderRecord Render, bool Created)> CreateAsync(RenderRecord render, IReadOnlyList<SegmentPlan> segments, ActiveRenderLimits limits, CancellationToken ct);

    /// <summary>
    /// The tenant's unfinished renders now: a cheap early answer, so that a tenant at its limit is refused before
    /// its track is separated and uploaded. Only <see cref="CreateAsync"/>'s own check is free of races.
    /// </summary>
    Task<ActiveUsage> GetActiveUsageAsync(string tenant, CancellationToken ct);

    Task<RenderRecord?> GetAsync(string renderId, CancellationToken ct);

    /// <summary>Newest first, of one tenant (null: of every tenant). The cursor is opaque.</summary>
    Task<RenderPage> ListAsync(string? tenant, RenderState? state, int pageSize, string? cursor, CancellationToken ct);

    /// <summary>Moves a render to <paramref name="to"/> if <see cref="RenderStateMachine"/> allows it from its current state.</summary>
    Task<bool> TransitionAsync(string renderId, RenderState to, string? error, CancellationToken ct);

    Task<IReadOnlyList<SegmentRecord>> GetSegmentsAsync(string renderId, CancellationToken ct);

    /// <summary>
    /// Counts one more attempt at <paramref name="take"/> of a segment and marks it rendering, unless the take has had
    /// <paramref name="maxAttempts"/> already (then <see cref="SegmentAttempt.Exhausted"/> and nothing changes). A
    /// segment already on another take, or done, is returned unchanged: the caller holds a stale or repeated command.
    /// </summary>
    Task<SegmentAttempt> BeginSegmentAttemptAsync(string renderId, int segment, int take, string worker, int maxAttempts, CancellationToken ct);

    /// <summary>
    /// Counts one more attempt at a seam's continuation; returns its number, or 0 when the seam is done or has had
    /// <paramref name="maxAttempts"/>.
    /// </summary>
    Task<int> BeginSeamAttemptAsync(string renderId, int seam, int maxAttempts, CancellationToken ct);

    /// <summary>Records why a seam was crossfaded instead of reconciled by its strategy; kept apart from the seam's
    /// measured quality, which is written later and must not erase it.</summary>
    Task RecordSeamFallbackAsync(string renderId, int seam, string reason, CancellationToken ct);

    /// <summary>
    /// Moves a failed render back to queued under the same id: its failed segments start their attempts again (the
    /// clips they stored are kept), done segments and seams stay done, and it counts as undispatched until its
    /// remaining segments are published. Returns false unless the render had failed.
    /// </summary>
    Task<bool> RetryAsync(string renderId, CancellationToken ct);

    /// <summary>
    /// Starts the take after <paramref name="fromTake"/> of a segment that is neither done nor failed: its progress,
    /// clips and attempts start again from zero. Changes nothing when the segment is past <paramref name="fromTake"/>
    /// already, so a redelivered request retakes once. Returns the segment after.
    /// </summary>
    Task<SegmentRecord> RetakeSegmentAsync(string renderId, int segment, int fromTake, CancellationToken ct);

    /// <summary>Records that the first <paramref name="clipsDone"/> clips (<paramref name="framesDone"/> frames) are stored.</summary>
    Task RecordClipAsync(string renderId, int segment, int clipsDone, int framesDone, CancellationToken ct);

    /// <summary>
    /// Marks a segment done with the frames of <paramref name="take"/>, whose measured quality (if any) becomes the
    /// segment's. Returns the render's count of done segments, or -1 if it was already done.
    /// </summary>
    Task<int> CompleteSegmentAsync(string renderId, int segment, int take, CancellationToken ct);

    Task FailSegmentAsync(string renderId, int segment, string error, CancellationToken ct);

    /// <summary>Marks a seam done; returns the count of done seams, or -1 if it was already done.</summary>
    Task<int> CompleteSeamAsync(string renderId, int seam, CancellationToken ct);

    /// <summary>Seams that are done.</summary>
    Task<IReadOnlySet<int>> GetDoneSeamsAsync(string renderId, CancellationToken ct);

    /// <summary>
    /// Marks a chunk of the video stored (<see cref="Contracts.EncodeChunk"/>); returns the count of stored chunks,
    /// or -1 if it was already marked, so a repeated encode is counted once.
    /// </summary>
    Task<int> CompleteChunkAsync(string renderId, int chunk, CancellationToken ct);

    /// <summary>Chunks that are stored.</summary>
    Task<IReadOnlySet<int>> GetDoneChunksAsync(string renderId, CancellationToken ct);

    /// <summary>Records that every segment command was published, so recovery republishes only undispatched renders.</summary>
    Task MarkDispatchedAsync(string renderId, CancellationToken ct);

    Task SetOutputAsync(string renderId, RenderOutput output, CancellationToken ct);

    /// <summary>Stores (or replaces: a re-measured take overwrites) the quality of one take of a segment.</summary>
    Task RecordQualityAsync(string renderId, SegmentQuality quality, CancellationToken ct);

    /// <summary>Stores (or replaces) one seam's quality.</summary>
    Task RecordQualityAsync(string renderId, SeamQuality quality, CancellationToken ct);

    Task<RenderQuality> GetQualityAsync(string renderId, CancellationToken ct);

    /// <summary>
    /// The kept quality of <paramref name="segments"/> and the quality of <paramref name="seams"/>, without takes: a
    /// read bounded by what is asked, however long the render.
    /// </summary>
    Task<RenderQuality> GetQualityAsync(string renderId, IReadOnlyCollection<int> segments, IReadOnlyCollection<int> seams, CancellationToken ct);

    /// <summary>Renders not yet in a terminal state, for recovery after a restart.</summary>
    Task<IReadOnlyList<string>> ListUnfinishedAsync(CancellationToken ct);

    /// <summary>Calls <paramref name="onChange"/> after every later mutation of the render until disposed.</summary>
    Task<IAsyncDisposable> SubscribeAsync(string renderId, Action onChange, CancellationToken ct);
}
