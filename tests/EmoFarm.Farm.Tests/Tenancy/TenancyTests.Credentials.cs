using EmoFarm.Api.V1;
using EmoFarm.Farm.Tenancy;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Farm.Tests.Services;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Health.V1;
using Xunit;

namespace EmoFarm.Farm.Tests.Tenancy;

/// <summary>Every RPC but health and reflection needs a caller; each bad credential is UNAUTHENTICATED and stores nothing.</summary>
public sealed partial class TenancyTests
{
    private async Task AssertUnauthenticatedAsync(RenderService.RenderServiceClient client, string why)
    {
        var before = await tenancy.Farm.StoredAsync(Ct);
        var create = await Assert.ThrowsAsync<RpcException>(async () =>
            await tenancy.Farm.SubmitAsync(TestMedia.Portrait(), await TestMedia.SpeechAsync(0.5), TenancyFarm.Parameters, client: client));
        Assert.True(create.StatusCode == StatusCode.Unauthenticated, $"{why}: create answered {create.Status}");
        var list = await Assert.ThrowsAsync<RpcException>(async () => await client.ListRendersAsync(new ListRendersRequest(), cancellationToken: Ct));
        Assert.True(list.StatusCode == StatusCode.Unauthenticated, $"{why}: list answered {list.Status}");
        var get = await Assert.ThrowsAsync<RpcException>(async () => await client.GetRenderAsync(new GetRenderRequest { Id = tenancy.Finished.Id }, cancellationToken: Ct));
        Assert.True(get.StatusCode == StatusCode.Unauthenticated, $"{why}: get answered {get.Status}");
        await tenancy.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task MissingOrUnknownKey_IsUnauthenticated()
    {
        await AssertUnauthenticatedAsync(tenancy.WithKey(null), "no credential");
        await AssertUnauthenticatedAsync(tenancy.WithKey(ApiKeys.Generate().Key), "a key never issued");
        await AssertUnauthenticatedAsync(tenancy.WithKey("let-me-in"), "not a key at all");
        // The right id with the wrong secret.
        var real = tenancy.Keys["a"];
        await AssertUnauthenticatedAsync(tenancy.WithKey(real[..^4] + "AAAA"), "a forged secret");
    }

    [Fact]
    public async Task RevokedKey_IsUnauthenticated_AndARotatedKeyReplacesIt()
    {
        var issued = await tenancy.Tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = "a", Description = "ci" }, cancellationToken: Ct);
        var client = tenancy.WithKey(issued.Secret);
        Assert.Contains((await client.ListRendersAsync(new ListRendersRequest(), cancellationToken: Ct)).Renders, r => r.Id == tenancy.Finished.Id);

        var rotated = await tenancy.Tenants.RotateApiKeyAsync(new RotateApiKeyRequest { Id = issued.Key.Id }, cancellationToken: Ct);
        Assert.Equal((issued.Key.Id, "a"), (rotated.Revoked.Id, rotated.Key.Tenant));
        Assert.NotNull(rotated.Revoked.RevokedAt);
        await AssertUnauthenticatedAsync(client, "a rotated-out key");
        var replacement = tenancy.WithKey(rotated.Secret);
        Assert.Contains((await replacement.ListRendersAsync(new ListRendersRequest(), cancellationToken: Ct)).Renders, r => r.Id == tenancy.Finished.Id);

        await tenancy.Tenants.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = rotated.Key.Id }, cancellationToken: Ct);
        await AssertUnauthenticatedAsync(replacement, "a revoked key");
        var twice = await Assert.ThrowsAsync<RpcException>(async () => await tenancy.Tenants.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = rotated.Key.Id }, cancellationToken: Ct));
        Assert.Equal(StatusCode.FailedPrecondition, twice.StatusCode);
        var listed = await tenancy.Tenants.ListTenantsAsync(new ListTenantsRequest(), cancellationToken: Ct);
        Assert.All(listed.Keys.Where(k => k.Id == issued.Key.Id || k.Id == rotated.Key.Id), k => Assert.NotNull(k.RevokedAt));
    }

    [Fact]
    public async Task Token_FromTheTrustedIssuer_ActsForItsTenant_AndEveryBadTokenIsRefused()
    {
        var ofA = tenancy.WithToken(tenancy.Token("a"));
        var seen = (await ofA.ListRendersAsync(new ListRendersRequest { PageSize = 500 }, cancellationToken: Ct)).Renders;
        Assert.Contains(seen, r => r.Id == tenancy.Finished.Id);
        Assert.DoesNotContain(seen, r => r.Tenant != "a");
        var ofB = tenancy.WithToken(tenancy.Token("b"));
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(async () =>
            await ofB.GetRenderAsync(new GetRenderRequest { Id = tenancy.Finished.Id }, cancellationToken: Ct))).StatusCode);

        await AssertUnauthenticatedAsync(tenancy.WithToken(tenancy.Token("a", lifetime: TimeSpan.FromMinutes(-10))), "an expired token");
        await AssertUnauthenticatedAsync(tenancy.WithToken(tenancy.Token("a", signingKey: new byte[32])), "a token signed with another key");
        await AssertUnauthenticatedAsync(tenancy.WithToken(tenancy.Token("a", audience: "someone-else")), "a token for another audience");
        await AssertUnauthenticatedAsync(tenancy.WithToken(tenancy.Token(null)), "a token without a tenant");
        await AssertUnauthenticatedAsync(tenancy.WithToken(tenancy.Token("Not A Tenant")), "a token with an invalid tenant");
        await AssertUnauthenticatedAsync(tenancy.WithToken("eyJhbGciOiJub25lIn0.e30."), "an unsigned token");
    }

    [Fact]
    public async Task TenantManagement_IsForAdministratorsOnly_AndHealthNeedsNoCredential()
    {
        var asTenant = new TenantService.TenantServiceClient(tenancy.Farm.Invoker(tenancy.Keys["a"]));
        var denied = await Assert.ThrowsAsync<RpcException>(async () => await asTenant.ListTenantsAsync(new ListTenantsRequest(), cancellationToken: Ct));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        var anonymous = new TenantService.TenantServiceClient(tenancy.Farm.Invoker(null));
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(async () =>
            await anonymous.CreateTenantAsync(new CreateTenantRequest { Name = "intruder" }, cancellationToken: Ct))).StatusCode);
        // An administrator's token may manage tenants too.
        var adminToken = new TenantService.TenantServiceClient(tenancy.Farm.Invoker(null).Intercept(m =>
        {
            m.Add("authorization", $"Bearer {tenancy.Token("ops", admin: true)}");
            return m;
        }));
        var tenants = await adminToken.ListTenantsAsync(new ListTenantsRequest(), cancellationToken: Ct);
        Assert.Contains(tenants.Tenants, t => t.Name == "one" && t.Quota.MaxActiveRenders == 1);
        Assert.DoesNotContain(tenants.Tenants, t => t.Name == "intruder");
        var bad = await Assert.ThrowsAsync<RpcException>(async () => await tenancy.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = "Bad_Name" }, cancellationToken: Ct));
        Refusal.AssertViolation(bad, "name", "not a tenant name");
        var taken = await Assert.ThrowsAsync<RpcException>(async () => await tenancy.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = "a" }, cancellationToken: Ct));
        Assert.Equal(StatusCode.AlreadyExists, taken.StatusCode);

        var health = new Health.HealthClient(tenancy.Farm.Invoker(null));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct)).Status);
    }
}
