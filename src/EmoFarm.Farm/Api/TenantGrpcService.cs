using EmoFarm.Api.V1;
using EmoFarm.Farm.Api;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Tenancy;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EmoFarm.Farm.Api;

/// <summary>Tenant and key management, for administrators (the endpoint's policy admits no one else).</summary>
public sealed class TenantGrpcService(ITenantStore tenants, TimeProvider clock, ILogger<TenantGrpcService> logger)
    : TenantService.TenantServiceBase
{
    public override async Task<IssuedKey> CreateTenant(CreateTenantRequest request, ServerCallContext context)
    {
        if (TenantName.Problem(request.Name) is { } problem)
            throw RpcErrors.InvalidArgument("name", problem);
        var quota = new TenantQuota
        {
            MaxActiveRenders = request.Quota?.HasMaxActiveRenders == true ? (int)Math.Min(request.Quota.MaxActiveRenders, int.MaxValue) : null,
            MaxQueuedAudioSeconds = request.Quota?.HasMaxQueuedAudioSeconds == true ? Positive(request.Quota.MaxQueuedAudioSeconds, "quota.max_queued_audio_seconds") : null,
            MaxAudioSecondsPerRender = request.Quota?.HasMaxAudioSecondsPerRender == true ? Positive(request.Quota.MaxAudioSecondsPerRender, "quota.max_audio_seconds_per_render") : null,
            CreatesPerMinute = request.Quota?.HasCreatesPerMinute == true ? Rate(request.Quota.CreatesPerMinute) : null,
        };
        if (!await tenants.CreateTenantAsync(new TenantRecord(request.Name, clock.GetUtcNow(), quota), context.CancellationToken))
            throw new RpcException(new Status(StatusCode.AlreadyExists, $"tenant {request.Name} exists already"));
        return await IssueAsync(request.Name, request.Admin, request.Description, "create tenant", context);
    }

    public override async Task<IssuedKey> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        if (await tenants.GetTenantAsync(request.Tenant, context.CancellationToken) is null)
            throw new RpcException(new Status(StatusCode.NotFound, $"tenant {request.Tenant} does not exist"));
        return await IssueAsync(request.Tenant, request.Admin, request.Description, "create key", context);
    }

    public override async Task<ListTenantsResponse> ListTenants(ListTenantsRequest request, ServerCallContext context)
    {
        var response = new ListTenantsResponse();
        response.Tenants.AddRange((await tenants.ListTenantsAsync(context.CancellationToken)).Select(ToProto));
        response.Keys.AddRange((await tenants.ListKeysAsync(null, context.CancellationToken)).Select(ToProto));
        return response;
    }

    public override async Task<ApiKey> RevokeApiKey(RevokeApiKeyRequest request, ServerCallContext context) =>
        ToProto(await RevokeAsync(await KeyAsync(request.Id, context), "revoke key", context));

    public override async Task<IssuedKey> RotateApiKey(RotateApiKeyRequest request, ServerCallContext context)
    {
        var old = await KeyAsync(request.Id, context);
        // The new key exists before the old one goes, so a client that switches at once is never locked out.
        var issued = await IssueAsync(old.Tenant, old.Admin, old.Description ?? "", "rotate key", context);
        issued.Revoked = ToProto(await RevokeAsync(old, "revoke key", context));
        return issued;
    }

    private async Task<ApiKeyRecord> KeyAsync(string id, ServerCallContext context) =>
        await tenants.GetKeyAsync(id, context.CancellationToken)
        ?? throw new RpcException(new Status(StatusCode.NotFound, $"API key {id} does not exist"));

    private async Task<ApiKeyRecord> RevokeAsync(ApiKeyRecord key, string action, ServerCallContext context)
    {
        var at = clock.GetUtcNow();
        if (!await tenants.RevokeKeyAsync(key.Id, at, context.CancellationToken))
            throw RpcErrors.FailedPrecondition($"API key {key.Id} was revoked already");
        Audit.Record(logger, CallerClaims.Of(context), action, key.Tenant, $"key {key.Id}");
        return key with { RevokedAt = at };
    }

    private async Task<IssuedKey> IssueAsync(string tenant, bool admin, string description, string action, ServerCallContext context)
    {
        var (secret, id) = ApiKeys.Generate();
        var record = new ApiKeyRecord(id, tenant, admin, ApiKeys.Sha256(secret), clock.GetUtcNow(), description is "" ? null : description);
        await tenants.AddKeyAsync(record, context.CancellationToken);
        Audit.Record(logger, CallerClaims.Of(context), action, tenant, $"key {id}{(admin ? " (admin)" : "")}");
        return new IssuedKey { Key = ToProto(record), Secret = secret };
    }

    private static double Positive(double value, string field) =>
        double.IsFinite(value) && value > 0 ? value : throw RpcErrors.InvalidArgument(field, $"{value} is not a positive number of seconds");

    private static int Rate(uint perMinute) => perMinute is >= 1 and <= TenantQuota.MaxCreatesPerMinute
        ? (int)perMinute
        : throw RpcErrors.InvalidArgument("quota.creates_per_minute", $"{perMinute} is not between 1 and {TenantQuota.MaxCreatesPerMinute}");

    private static Tenant ToProto(TenantRecord t)
    {
        var quota = new QuotaLimits();
        if (t.Quota.MaxActiveRenders is { } renders)
            quota.MaxActiveRenders = (uint)renders;
        if (t.Quota.MaxQueuedAudioSeconds is { } queued)
            quota.MaxQueuedAudioSeconds = queued;
        if (t.Quota.MaxAudioSecondsPerRender is { } perRender)
            quota.MaxAudioSecondsPerRender = perRender;
        if (t.Quota.CreatesPerMinute is { } rate)
            quota.CreatesPerMinute = (uint)rate;
        return new Tenant { Name = t.Name, CreatedAt = Timestamp.FromDateTimeOffset(t.CreatedAt), Quota = quota };
    }

    private static ApiKey ToProto(ApiKeyRecord k)
    {
        var key = new ApiKey { Id = k.Id, Tenant = k.Tenant, Admin = k.Admin, Description = k.Description ?? "", CreatedAt = Timestamp.FromDateTimeOffset(k.CreatedAt) };
        if (k.RevokedAt is { } revoked)
            key.RevokedAt = Timestamp.FromDateTimeOffset(revoked);
        return key;
    }
}
