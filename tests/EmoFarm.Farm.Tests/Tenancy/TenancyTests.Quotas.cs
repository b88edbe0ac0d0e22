using EmoFarm.Api.V1;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Farm.Tests.Services;
using Google.Rpc;
using Grpc.Core;
using Xunit;

namespace EmoFarm.Farm.Tests.Tenancy;

/// <summary>Each quota refuses with RESOURCE_EXHAUSTED, a QuotaFailure naming the tenant and the quota, and nothing stored.</summary>
public sealed partial class TenancyTests
{
    private Task<Render> SubmitAsync(string tenant, byte[] audio) =>
        tenancy.Farm.SubmitAsync(TestMedia.Portrait(), audio, TenancyFarm.Parameters, client: tenancy.As(tenant));

    private async Task<RpcException> AssertRefusedAsync(string tenant, byte[] audio, string quota)
    {
        var before = await tenancy.Farm.StoredAsync(Ct);
        var refused = await Assert.ThrowsAsync<RpcException>(() => SubmitAsync(tenant, audio));
        Assert.True(refused.StatusCode == StatusCode.ResourceExhausted, refused.Status.ToString());
        var violation = Assert.Single(refused.GetRpcStatus()!.GetDetail<QuotaFailure>()!.Violations);
        Assert.Equal($"tenant:{tenant}", violation.Subject);
        Assert.StartsWith(quota, violation.Description, StringComparison.Ordinal);
        await tenancy.AssertUnchangedAsync(before);
        return refused;
    }

    [Fact]
    public async Task ActiveRenders_AtTheLimit_RefuseTheNext_UntilOneEnds()
    {
        var audio = await TestMedia.SpeechAsync(0.5);
        var first = await SubmitAsync("one", audio);
        await AssertRefusedAsync("one", audio, "MaxActiveRenders");
        await tenancy.As("one").CancelRenderAsync(new CancelRenderRequest { Id = first.Id }, cancellationToken: Ct);
        var next = await SubmitAsync("one", audio);
        await tenancy.As("one").CancelRenderAsync(new CancelRenderRequest { Id = next.Id }, cancellationToken: Ct);
    }

    [Fact]
    public async Task QueuedAudio_OverTheLimit_IsRefused()
    {
        var audio = await TestMedia.SpeechAsync(TenancyFarm.QueuedAudioLimit * 0.6);
        var first = await SubmitAsync("audio", audio);
        var refused = await AssertRefusedAsync("audio", audio, "MaxQueuedAudioSeconds");
        Assert.Contains("2 s", refused.Status.Detail, StringComparison.Ordinal);
        await tenancy.As("audio").CancelRenderAsync(new CancelRenderRequest { Id = first.Id }, cancellationToken: Ct);
    }

    [Fact]
    public async Task AudioPerRender_OverTheLimit_IsRefused_AndAShorterTrackIsNot()
    {
        await AssertRefusedAsync("short", await TestMedia.SpeechAsync(TenancyFarm.PerRenderAudioLimit * 1.5), "MaxAudioSecondsPerRender");
        var accepted = await SubmitAsync("short", await TestMedia.SpeechAsync(TenancyFarm.PerRenderAudioLimit * 0.8));
        await tenancy.As("short").CancelRenderAsync(new CancelRenderRequest { Id = accepted.Id }, cancellationToken: Ct);
    }

    [Fact]
    public async Task CreatesPerMinute_OverTheRate_IsRefusedWithWhenToRetry()
    {
        var audio = await TestMedia.SpeechAsync(0.5);
        var made = new List<Render>();
        for (var i = 0; i < TenancyFarm.CreatesPerMinute; i++)
            made.Add(await SubmitAsync("rate", audio));
        var refused = await AssertRefusedAsync("rate", audio, "CreatesPerMinute");
        var retry = refused.GetRpcStatus()!.GetDetail<RetryInfo>();
        Assert.NotNull(retry);
        Assert.InRange(retry.RetryDelay.ToTimeSpan(), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        // Another tenant's rate is its own.
        var other = await SubmitAsync("b", audio);
        foreach (var render in made.Append(other))
            await tenancy.Farm.Client.CancelRenderAsync(new CancelRenderRequest { Id = render.Id }, cancellationToken: Ct);
    }
}
