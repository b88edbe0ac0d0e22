using EmoFarm.Farm.Scheduling;
using Xunit;

namespace EmoFarm.Farm.Tests.Scheduling;

/// <summary>The behaviour every <see cref="IWorkWindow"/> must have; run against Redis and the in-memory window.</summary>
public abstract class WorkWindowContract
{
    protected abstract IWorkWindow Window { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SchedulingOptions Depth(int depth, params (string Tenant, TenantShare Share)[] tenants) =>
        new() { QueueDepth = depth, Tenants = tenants.ToDictionary(t => t.Tenant, t => t.Share) };

    private static List<WindowItem> Items(string render, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new WindowItem(render, WindowItem.SegmentKey(i, 0), $"{i * 8}:8", i))];

    private static string NewId() => Guid.NewGuid().ToString("N");

    private async Task<string> EnqueueAsync(string tenant, int count, double order = 0)
    {
        var id = NewId();
        Assert.Empty(await Window.EnqueueAsync(id, tenant, order, Items(id, count), Ct));
        return id;
    }

    [Fact]
    public async Task Reserve_MoreWaitingThanTheDepth_ReservesTheDepthInOrderAndThenNothing()
    {
        var id = await EnqueueAsync("acme", 5);
        var options = Depth(3);
        var first = await Window.ReserveAsync(options, DateTimeOffset.UtcNow, Ct);
        Assert.Equal(["s:0:0", "s:1:0", "s:2:0"], first.Select(i => i.Key));
        Assert.All(first, i => Assert.Equal(id, i.RenderId));
        Assert.Equal("8:8", first[1].Payload);
        Assert.Empty(await Window.ReserveAsync(options, DateTimeOffset.UtcNow, Ct));
        var (@out, waiting) = await Window.CountsAsync(Ct);
        Assert.Equal(3, @out["acme"]);
        Assert.Equal(2, waiting);
    }

    [Fact]
    public async Task Release_Repeated_FreesOnePlaceOnce()
    {
        var id = await EnqueueAsync("acme", 5);
        var options = Depth(2);
        await Window.ReserveAsync(options, DateTimeOffset.UtcNow, Ct);
        Assert.True(await Window.ReleaseAsync(id, "s:0:0", Ct));
        Assert.False(await Window.ReleaseAsync(id, "s:0:0", Ct));
        Assert.False(await Window.ReleaseAsync(id, "s:4:0", Ct)); // waiting, not out
        Assert.Equal(["s:2:0"], (await Window.ReserveAsync(options, DateTimeOffset.UtcNow, Ct)).Select(i => i.Key));
    }

    [Fact]
    public async Task Reserve_WeightsTwoToOne_SplitsThePlacesTwoToOne()
    {
        await EnqueueAsync("heavy", 10);
        await EnqueueAsync("light", 10);
        var reserved = await Window.ReserveAsync(Depth(6, ("heavy", new TenantShare { Weight = 2 })), DateTimeOffset.UtcNow, Ct);
        Assert.Equal(6, reserved.Count);
        Assert.Equal(4, (await Window.CountsAsync(Ct)).Out["heavy"]);
        Assert.Equal(2, (await Window.CountsAsync(Ct)).Out["light"]);
    }

    [Fact]
    public async Task Reserve_GuaranteedShare_ComesBeforeAHeavierWeight()
    {
        await EnqueueAsync("heavy", 10);
        await EnqueueAsync("small", 10);
        // By weight alone "small" would get 4/11 of a place; its guarantee is half the window.
        await Window.ReserveAsync(Depth(4, ("heavy", new TenantShare { Weight = 10 }), ("small", new TenantShare { Share = 0.5 })), DateTimeOffset.UtcNow, Ct);
        Assert.Equal(2, (await Window.CountsAsync(Ct)).Out["small"]);
    }

    [Fact]
    public async Task Reserve_Burst_CapsATenantEvenWithPlacesFree()
    {
        await EnqueueAsync("capped", 10);
        var reserved = await Window.ReserveAsync(Depth(8, ("capped", new TenantShare { Burst = 0.25 })), DateTimeOffset.UtcNow, Ct);
        Assert.Equal(2, reserved.Count);
    }

    [Fact]
    public async Task Reserve_OneTenantsRenders_GoInTheirOrder()
    {
        var later = await EnqueueAsync("acme", 2, order: 20);
        var first = await EnqueueAsync("acme", 2, order: 10);
        var reserved = await Window.ReserveAsync(Depth(3), DateTimeOffset.UtcNow, Ct);
        Assert.Equal([first, first, later], reserved.Select(i => i.RenderId));
    }

    [Fact]
    public async Task Enqueue_AnItemAlreadyOut_IsNotQueuedAgainButReturned()
    {
        var id = await EnqueueAsync("acme", 2);
        var options = Depth(1);
        await Window.ReserveAsync(options, DateTimeOffset.UtcNow, Ct);
        var again = await Window.EnqueueAsync(id, "acme", 0, Items(id, 2), Ct);
        Assert.Equal(["s:0:0"], again.Select(i => i.Key));
        Assert.Equal("0:8", again[0].Payload);
        Assert.Equal(1, (await Window.CountsAsync(Ct)).Waiting);
    }

    [Fact]
    public async Task Remove_FreesTheRendersPlacesAndDropsWhatWaits()
    {
        var gone = await EnqueueAsync("acme", 3);
        var options = Depth(2);
        await Window.ReserveAsync(options, DateTimeOffset.UtcNow, Ct);
        var next = await EnqueueAsync("other", 3);
        await Window.RemoveAsync(gone, Ct);
        Assert.DoesNotContain(gone, await Window.RendersAsync(Ct));
        Assert.False(await Window.ReleaseAsync(gone, "s:0:0", Ct));
        var reserved = await Window.ReserveAsync(options, DateTimeOffset.UtcNow, Ct);
        Assert.Equal([next, next], reserved.Select(i => i.RenderId));
        Assert.False((await Window.CountsAsync(Ct)).Out.ContainsKey("acme"));
    }

    [Fact]
    public async Task Unconfirmed_ListsWhatWasReservedEarlierAndNeverConfirmed()
    {
        var id = await EnqueueAsync("acme", 3);
        var then = DateTimeOffset.UtcNow.AddMinutes(-5);
        var reserved = await Window.ReserveAsync(Depth(3), then, Ct);
        await Window.ConfirmAsync([reserved[0]], Ct);
        var lost = await Window.UnconfirmedAsync(then.AddSeconds(1), Ct);
        Assert.Equal(["s:1:0", "s:2:0"], lost.Select(i => i.Key).Order(StringComparer.Ordinal));
        Assert.All(lost, i => Assert.Equal(id, i.RenderId));
        Assert.Empty(await Window.UnconfirmedAsync(then, Ct));
    }

    [Fact]
    public async Task Reserve_RacingReplicas_NeverOverfillAndNeverHandOutAnItemTwice()
    {
        await EnqueueAsync("a", 40);
        await EnqueueAsync("b", 40);
        var options = Depth(30);
        var rounds = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Window.ReserveAsync(options, DateTimeOffset.UtcNow, Ct), Ct)));
        var all = rounds.SelectMany(r => r).Select(i => (i.RenderId, i.Key)).ToList();
        Assert.Equal(30, all.Count);
        Assert.Equal(30, all.Distinct().Count());
    }
}
