using EmoFarm.Contracts;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.State;
using Xunit;

namespace EmoFarm.Farm.Tests.State;

/// <summary>The behaviour every <see cref="IRenderStore"/> must have; run against Redis and the in-memory store.</summary>
public abstract partial class RenderStoreContract
{
    protected abstract IRenderStore Store { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static RenderRecord NewRender(string? idempotencyKey = null, int segments = 3, string tenant = "acme", double audioSeconds = 1) => new()
    {
        Id = Guid.CreateVersion7().ToString("N"),
        Tenant = tenant,
        State = RenderState.Queued,
        Spec = new RenderSpec
        {
            Model = new ModelSettings { Fps = 25, Width = 64, Height = 64, Steps = 2, GuidanceScale = 3.5f, ReferenceGuidanceScale = 3.5f, HeadMotionSpeed = 0 },
            Seed = 7,
            SegmentFrames = 10,
            OverlapFrames = 2,
            SeamStrategy = SeamStrategyKind.Crossfade,
            Priority = 0,
        },
        PortraitKey = "p",
        AudioKey = "a",
        AudioSeconds = audioSeconds,
        FrameTotal = 8 * segments + 2,
        SegmentCount = segments,
        IdempotencyKey = idempotencyKey,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    private async Task<RenderRecord> CreateAsync(string? key = null)
    {
        var render = NewRender(key);
        var (stored, created) = await Store.CreateAsync(render, SegmentPlanner.Plan(render.FrameTotal, 10, 2), ActiveRenderLimits.None, Ct);
        Assert.True(created);
        return stored;
    }

    [Fact]
    public async Task Create_SameIdempotencyKey_ReturnsTheFirstRender()
    {
        var key = Guid.NewGuid().ToString();
        var first = await CreateAsync(key);
        var second = NewRender(key);
        var (stored, created) = await Store.CreateAsync(second, SegmentPlanner.Plan(second.FrameTotal, 10, 2), ActiveRenderLimits.None, Ct);
        Assert.False(created);
        Assert.Equal(first.Id, stored.Id);
        Assert.Null(await Store.GetAsync(second.Id, Ct));
    }

    [Fact]
    public async Task Transition_FollowsTheStateMachineAndRecordsTheError()
    {
        var render = await CreateAsync();
        Assert.False(await Store.TransitionAsync(render.Id, RenderState.Encoding, null, Ct));
        Assert.True(await Store.TransitionAsync(render.Id, RenderState.Rendering, null, Ct));
        Assert.False(await Store.TransitionAsync(render.Id, RenderState.Rendering, null, Ct));
        Assert.True(await Store.TransitionAsync(render.Id, RenderState.Failed, "boom", Ct));
        Assert.False(await Store.TransitionAsync(render.Id, RenderState.Cancelled, null, Ct));
        var stored = await Store.GetAsync(render.Id, Ct);
        Assert.Equal(RenderState.Failed, stored!.State);
        Assert.Equal("boom", stored.Error);
        Assert.DoesNotContain(render.Id, await Store.ListUnfinishedAsync(Ct));
    }

    [Fact]
    public async Task ConcurrentTransitions_ExactlyOneWins()
    {
        var render = await CreateAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Store.TransitionAsync(render.Id, RenderState.Cancelled, null, Ct)));
        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task Segments_ProgressAndCompleteOnce()
    {
        var render = await CreateAsync();
        var (attempt, exhausted) = await Store.BeginSegmentAttemptAsync(render.Id, 1, 0, "w1", 3, Ct);
        Assert.Equal((SegmentState.Rendering, 1, "w1", false), (attempt.State, attempt.Attempts, attempt.Worker, exhausted));
        await Store.RecordClipAsync(render.Id, 1, 1, 4, Ct);
        await Store.RecordClipAsync(render.Id, 1, 1, 4, Ct); // a redelivered clip counts once
        Assert.Equal(4, (await Store.GetAsync(render.Id, Ct))!.FramesDone);
        Assert.Equal(1, await Store.CompleteSegmentAsync(render.Id, 1, 0, Ct));
        Assert.Equal(-1, await Store.CompleteSegmentAsync(render.Id, 1, 0, Ct));
        var stored = await Store.GetAsync(render.Id, Ct);
        Assert.Equal((10, 1), (stored!.FramesDone, stored.SegmentsDone));
        var segments = await Store.GetSegmentsAsync(render.Id, Ct);
        Assert.Equal([SegmentState.Pending, SegmentState.Done, SegmentState.Pending], segments.Select(s => s.State));
        Assert.Equal((8, 10, 10), (segments[1].FirstFrame, segments[1].FrameCount, segments[1].FramesDone));
    }

    [Fact]
    public async Task Retake_StartsTheNextTakeFromZero_Once()
    {
        var render = await CreateAsync();
        await Store.BeginSegmentAttemptAsync(render.Id, 1, 0, "w1", 3, Ct);
        await Store.RecordClipAsync(render.Id, 1, 1, 4, Ct);

        var retaken = await Store.RetakeSegmentAsync(render.Id, 1, 0, Ct);
        Assert.Equal((1, SegmentState.Pending, 0, 0, 0), (retaken.Take, retaken.State, retaken.ClipsDone, retaken.FramesDone, retaken.Attempts));
        Assert.Equal(0, (await Store.GetAsync(render.Id, Ct))!.FramesDone);
        // A redelivered request, and a late command for the replaced take, change nothing.
        Assert.Equal(retaken, await Store.RetakeSegmentAsync(render.Id, 1, 0, Ct));
        Assert.Equal(new SegmentAttempt(retaken, false), await Store.BeginSegmentAttemptAsync(render.Id, 1, 0, "w2", 3, Ct));

        var (attempt, _) = await Store.BeginSegmentAttemptAsync(render.Id, 1, 1, "w3", 3, Ct);
        Assert.Equal((1, SegmentState.Rendering, 1, "w3"), (attempt.Take, attempt.State, attempt.Attempts, attempt.Worker));
    }

    [Fact]
    public async Task Complete_KeepsTheChosenTakeAndItsQuality()
    {
        var render = await CreateAsync();
        SegmentQuality Measured(int take, double faceShare) => new(1, faceShare, 0.9, 0.8, 0.5, 0, 0.01, take);
        await Store.RecordQualityAsync(render.Id, Measured(0, 0.7), Ct);
        await Store.RetakeSegmentAsync(render.Id, 1, 0, Ct);
        await Store.RecordQualityAsync(render.Id, Measured(1, 0.3), Ct);

        Assert.Empty((await Store.GetQualityAsync(render.Id, Ct)).Segments); // nothing is kept before the segment is done
        Assert.Equal(1, await Store.CompleteSegmentAsync(render.Id, 1, 0, Ct));

        var quality = await Store.GetQualityAsync(render.Id, Ct);
        Assert.Equal([Measured(0, 0.7)], quality.Segments);
        Assert.Equal([Measured(0, 0.7), Measured(1, 0.3)], quality.Takes);
        var segment = (await Store.GetSegmentsAsync(render.Id, Ct))[1];
        Assert.Equal((SegmentState.Done, 0, 10), (segment.State, segment.Take, segment.FramesDone));
        Assert.Equal(segment, await Store.RetakeSegmentAsync(render.Id, 1, 0, Ct)); // a done segment is never retaken
    }

    [Fact]
    public async Task GetQuality_OfSomeSegmentsAndSeams_ReadsOnlyThose()
    {
        var render = await CreateAsync();
        foreach (var i in new[] { 0, 1, 2 })
        {
            await Store.RecordQualityAsync(render.Id, new SegmentQuality(i, 1, 0.9, 0.9, 0.5, 0, 0.01 * (i + 1)), Ct);
            await Store.CompleteSegmentAsync(render.Id, i, 0, Ct);
        }
        await Store.RecordQualityAsync(render.Id, new SeamQuality(0, 0.02, 0.01, 2), Ct);
        await Store.RecordQualityAsync(render.Id, new SeamQuality(1, 0.09, 0.01, 9), Ct);

        var some = await Store.GetQualityAsync(render.Id, [0, 2], [1], Ct);

        Assert.Equal([0, 2], some.Segments.Select(q => q.SegmentIndex).Order());
        Assert.Equal([new SeamQuality(1, 0.09, 0.01, 9)], some.Seams);
        Assert.Empty(some.Takes);
        Assert.Empty((await Store.GetQualityAsync(render.Id, [], [5], Ct)).Seams);
    }

    [Fact]
    public async Task Retake_LeavesAFailedSegmentFailed()
    {
        var render = await CreateAsync();
        await Store.FailSegmentAsync(render.Id, 2, "boom", Ct);
        var segment = await Store.RetakeSegmentAsync(render.Id, 2, 0, Ct);
        Assert.Equal((SegmentState.Failed, 0, "boom"), (segment.State, segment.Take, segment.Error));
    }

    [Fact]
    public async Task SegmentAttempts_StopAtTheBound_WithoutCountingTheRefusal()
    {
        var render = await CreateAsync();
        for (var i = 1; i <= 2; i++)
            Assert.Equal((i, false), await Attempt());
        // A third delivery after two crashes: refused, and the count stays at the two attempts really made.
        Assert.Equal((2, true), await Attempt());
        Assert.Equal((2, true), await Attempt());
        Assert.Equal(1, await Store.CompleteSegmentAsync(render.Id, 0, 0, Ct));
        // A done segment is not attempted again, and not refused: its command is only announced again.
        Assert.Equal((2, false), await Attempt());

        async Task<(int, bool)> Attempt()
        {
            var (segment, exhausted) = await Store.BeginSegmentAttemptAsync(render.Id, 0, 0, "w", 2, Ct);
            return (segment.Attempts, exhausted);
        }
    }

    [Fact]
    public async Task SeamAttempts_AreNumberedUpToTheBound_AndNoneOnceDone()
    {
        var render = await CreateAsync();
        var attempts = new List<int>();
        for (var i = 0; i < 3; i++)
            attempts.Add(await Store.BeginSeamAttemptAsync(render.Id, 0, 2, Ct));
        Assert.Equal([1, 2, 0], attempts);
        await Store.CompleteSeamAsync(render.Id, 1, Ct);
        Assert.Equal(0, await Store.BeginSeamAttemptAsync(render.Id, 1, 2, Ct));
        Assert.Equal([1], await Store.GetDoneSeamsAsync(render.Id, Ct)); // attempt counters are not seams
    }

    [Fact]
    public async Task SeamFallback_SurvivesTheSeamsLaterMeasurement()
    {
        var render = await CreateAsync();
        await Store.RecordSeamFallbackAsync(render.Id, 1, "continuation failed", Ct);
        Assert.Equal([new SeamQuality(1, null, null, null, "continuation failed")], (await Store.GetQualityAsync(render.Id, Ct)).Seams);

        await Store.RecordQualityAsync(render.Id, new SeamQuality(1, 0.02, 0.01, 2), Ct);
        await Store.RecordQualityAsync(render.Id, new SeamQuality(0, 0.01, 0.01, 1), Ct);

        var expected = new[] { new SeamQuality(0, 0.01, 0.01, 1), new SeamQuality(1, 0.02, 0.01, 2, "continuation failed") };
        Assert.Equal(expected, (await Store.GetQualityAsync(render.Id, Ct)).Seams);
        Assert.Equal(expected, (await Store.GetQualityAsync(render.Id, [], [0, 1], Ct)).Seams);
    }

    [Fact]
    public async Task Retry_RequeuesOnlyAFailedRender_AndRestartsOnlyItsFailedSegments()
    {
        var render = await CreateAsync();
        Assert.False(await Store.RetryAsync(render.Id, Ct)); // queued: nothing to retry
        await Store.BeginSegmentAttemptAsync(render.Id, 0, 0, "w", 2, Ct);
        await Store.CompleteSegmentAsync(render.Id, 0, 0, Ct);
        await Store.CompleteSeamAsync(render.Id, 0, Ct);
        await Store.BeginSeamAttemptAsync(render.Id, 1, 1, Ct);
        for (var i = 0; i < 2; i++)
            await Store.BeginSegmentAttemptAsync(render.Id, 1, 0, "w", 2, Ct);
        await Store.RecordClipAsync(render.Id, 1, 1, 4, Ct);
        await Store.FailSegmentAsync(render.Id, 1, "boom", Ct);
        await Store.MarkDispatchedAsync(render.Id, Ct);
        await Store.TransitionAsync(render.Id, RenderState.Failed, "segment 1 failed", Ct);

        Assert.True(await Store.RetryAsync(render.Id, Ct));
        Assert.False(await Store.RetryAsync(render.Id, Ct)); // once

        var stored = (await Store.GetAsync(render.Id, Ct))!;
        Assert.Equal((RenderState.Queued, null, false, 1, 1), (stored.State, stored.Error, stored.Dispatched, stored.SegmentsDone, stored.SeamsDone));
        Assert.Contains(render.Id, await Store.ListUnfinishedAsync(Ct));
        var segments = await Store.GetSegmentsAsync(render.Id, Ct);
        Assert.Equal((SegmentState.Done, 1), (segments[0].State, segments[0].Attempts));
        // The failed segment starts its attempts again but keeps the clip it stored.
        Assert.Equal((SegmentState.Pending, 0, null, 1), (segments[1].State, segments[1].Attempts, segments[1].Error, segments[1].ClipsDone));
        Assert.Equal(SegmentState.Pending, segments[2].State);
        Assert.Equal(1, await Store.BeginSeamAttemptAsync(render.Id, 1, 1, Ct));
        Assert.Equal([0], await Store.GetDoneSeamsAsync(render.Id, Ct));
    }

    [Fact]
    public async Task Seams_CompleteOnce()
    {
        var render = await CreateAsync();
        Assert.Equal(1, await Store.CompleteSeamAsync(render.Id, 1, Ct));
        Assert.Equal(-1, await Store.CompleteSeamAsync(render.Id, 1, Ct));
        Assert.Equal([1], await Store.GetDoneSeamsAsync(render.Id, Ct));
    }

    [Fact]
    public async Task List_PagesNewestFirstAndFiltersByState()
    {
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
            created.Add((await CreateAsync()).Id);
        await Store.TransitionAsync(created[2], RenderState.Cancelled, null, Ct);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Store.ListAsync(null, null, 2, cursor, Ct);
            Assert.InRange(page.Renders.Count, 0, 2);
            seen.AddRange(page.Renders.Select(r => r.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        var mine = seen.Where(created.Contains).ToList();
        Assert.Equal(Enumerable.Reverse(created), mine);
        Assert.Equal(seen.Count, seen.Distinct().Count());

        var cancelled = await Store.ListAsync(null, RenderState.Cancelled, 100, null, Ct);
        Assert.Contains(created[2], cancelled.Renders.Select(r => r.Id));
        Assert.All(cancelled.Renders, r => Assert.Equal(RenderState.Cancelled, r.State));
    }

    [Fact]
    public async Task Subscribe_SeesLaterChanges()
    {
        var render = await CreateAsync();
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (await Store.SubscribeAsync(render.Id, () => changed.TrySetResult(), Ct))
        {
            await Store.TransitionAsync(render.Id, RenderState.Rendering, null, Ct);
            await changed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        }
    }
}
