using EmoFarm.Farm.Planning;
using EmoFarm.Farm.State;
using Xunit;

namespace EmoFarm.Farm.Tests.State;

/// <summary>What a store owes tenants: its own list, its own idempotency keys, and quotas no race can overshoot.</summary>
public abstract partial class RenderStoreContract
{
    private static string NewTenant() => $"t{Guid.NewGuid():N}"[..20];

    private async Task<RenderRecord> CreateForAsync(string tenant, ActiveRenderLimits? limits = null, double audioSeconds = 1, string? key = null)
    {
        var render = NewRender(key, tenant: tenant, audioSeconds: audioSeconds);
        var (stored, created) = await Store.CreateAsync(render, SegmentPlanner.Plan(render.FrameTotal, 10, 2), limits ?? ActiveRenderLimits.None, Ct);
        Assert.True(created);
        return stored;
    }

    [Fact]
    public async Task List_OfOneTenant_ShowsOnlyItsRenders_AndTheUnscopedListShowsAll()
    {
        var (a, b) = (NewTenant(), NewTenant());
        var ofA = new[] { (await CreateForAsync(a)).Id, (await CreateForAsync(a)).Id };
        var ofB = (await CreateForAsync(b)).Id;

        var listed = await Store.ListAsync(a, null, 1, null, Ct);
        var next = await Store.ListAsync(a, null, 1, listed.NextCursor, Ct);
        Assert.Equal([ofA[1], ofA[0]], listed.Renders.Concat(next.Renders).Select(r => r.Id));
        Assert.DoesNotContain((await Store.ListAsync(a, null, 10, null, Ct)).Renders, r => r.Tenant != a);
        var all = (await Store.ListAsync(null, null, 500, null, Ct)).Renders.Select(r => r.Id).ToList();
        Assert.Contains(ofB, all);
        Assert.Contains(ofA[0], all);
    }

    [Fact]
    public async Task Create_SameIdempotencyKeyInTwoTenants_MakesTwoRenders()
    {
        var key = Guid.NewGuid().ToString();
        var first = await CreateForAsync(NewTenant(), key: key);
        var second = await CreateForAsync(NewTenant(), key: key);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task Create_OverActiveRenders_RefusesAndStoresNothing_UntilOneFinishes()
    {
        var tenant = NewTenant();
        var limits = new ActiveRenderLimits(2, null);
        var first = await CreateForAsync(tenant, limits);
        await CreateForAsync(tenant, limits);
        var third = NewRender(tenant: tenant);

        var refusal = await Assert.ThrowsAsync<QuotaExceededException>(() => Store.CreateAsync(third, SegmentPlanner.Plan(third.FrameTotal, 10, 2), limits, Ct));
        Assert.Equal(("MaxActiveRenders", $"tenant:{tenant}"), (refusal.Quota, refusal.Subject));
        Assert.Contains("2", refusal.Message, StringComparison.Ordinal);
        Assert.Null(await Store.GetAsync(third.Id, Ct));
        Assert.DoesNotContain(third.Id, await Store.ListUnfinishedAsync(Ct));
        Assert.Equal(2, (await Store.ListAsync(tenant, null, 10, null, Ct)).Renders.Count);
        // Another tenant is not held back by this one.
        await CreateForAsync(NewTenant(), limits);

        await Store.TransitionAsync(first.Id, RenderState.Cancelled, null, Ct);
        await CreateForAsync(tenant, limits);
    }

    [Fact]
    public async Task Create_OverQueuedAudio_Refuses_ButFillsUpToTheLimitExactly()
    {
        var tenant = NewTenant();
        var limits = new ActiveRenderLimits(null, 10);
        await CreateForAsync(tenant, limits, audioSeconds: 6);
        var over = NewRender(tenant: tenant, audioSeconds: 5);
        var refusal = await Assert.ThrowsAsync<QuotaExceededException>(() => Store.CreateAsync(over, SegmentPlanner.Plan(over.FrameTotal, 10, 2), limits, Ct));
        Assert.Equal("MaxQueuedAudioSeconds", refusal.Quota);
        Assert.Null(await Store.GetAsync(over.Id, Ct));
        await CreateForAsync(tenant, limits, audioSeconds: 4);
    }

    [Fact]
    public async Task ActiveUsage_CountsUnfinishedRendersAndTheirAudio_OfOneTenant()
    {
        var tenant = NewTenant();
        Assert.Equal(new ActiveUsage(0, 0), await Store.GetActiveUsageAsync(tenant, Ct));
        var first = await CreateForAsync(tenant, audioSeconds: 2.5);
        await CreateForAsync(tenant, audioSeconds: 4);
        await CreateForAsync(NewTenant(), audioSeconds: 30);
        Assert.Equal(new ActiveUsage(2, 6.5), await Store.GetActiveUsageAsync(tenant, Ct));

        await Store.TransitionAsync(first.Id, RenderState.Failed, "boom", Ct);
        Assert.Equal(new ActiveUsage(1, 4), await Store.GetActiveUsageAsync(tenant, Ct));
        await Store.RetryAsync(first.Id, Ct);
        Assert.Equal(new ActiveUsage(2, 6.5), await Store.GetActiveUsageAsync(tenant, Ct));
    }

    [Fact]
    public async Task Retry_CountsTheRenderAgainstItsTenantAgain()
    {
        var tenant = NewTenant();
        var limits = new ActiveRenderLimits(1, null);
        var failed = await CreateForAsync(tenant, limits);
        await Store.TransitionAsync(failed.Id, RenderState.Failed, "boom", Ct);
        var next = await CreateForAsync(tenant, limits);
        await Store.TransitionAsync(next.Id, RenderState.Cancelled, null, Ct);

        Assert.True(await Store.RetryAsync(failed.Id, Ct));
        var refused = NewRender(tenant: tenant);
        await Assert.ThrowsAsync<QuotaExceededException>(() => Store.CreateAsync(refused, SegmentPlanner.Plan(refused.FrameTotal, 10, 2), limits, Ct));
    }

    [Fact]
    public async Task ConcurrentCreates_NeverOvershootTheQuota()
    {
        var tenant = NewTenant();
        var limits = new ActiveRenderLimits(3, null);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            var render = NewRender(tenant: tenant);
            try
            {
                await Store.CreateAsync(render, SegmentPlanner.Plan(render.FrameTotal, 10, 2), limits, Ct);
                return true;
            }
            catch (QuotaExceededException)
            {
                return false;
            }
        }));
        Assert.Equal(3, outcomes.Count(created => created));
        Assert.Equal(3, (await Store.ListAsync(tenant, null, 20, null, Ct)).Renders.Count);
    }
}
