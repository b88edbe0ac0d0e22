using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace EmoFarm.Farm.Tenancy;

/// <summary>
/// Tenants and keys in Redis: one JSON document each, a set listing them, and the revocation as its own field so
/// that revoking is a single atomic write that no concurrent read-modify-write can undo.
/// </summary>
public sealed class RedisTenantStore(IConnectionMultiplexer redis, string prefix = "emofarm:") : ITenantStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IDatabase _db = redis.GetDatabase();

    private RedisKey TenantKey(string name) => $"{prefix}tenant:{name}";
    private RedisKey TenantsKey => $"{prefix}tenants";
    private RedisKey KeyKey(string id) => $"{prefix}apikey:{id}";
    private RedisKey KeysKey => $"{prefix}apikeys";

    public async Task<bool> CreateTenantAsync(TenantRecord tenant, CancellationToken ct)
    {
        if (!await _db.HashSetAsync(TenantKey(tenant.Name), "doc", JsonSerializer.Serialize(tenant, Json), When.NotExists))
            return false;
        await _db.SortedSetAddAsync(TenantsKey, tenant.Name, tenant.CreatedAt.ToUnixTimeMilliseconds());
        return true;
    }

    public async Task<TenantRecord?> GetTenantAsync(string name, CancellationToken ct) =>
        await _db.HashGetAsync(TenantKey(name), "doc") is { IsNull: false } doc ? JsonSerializer.Deserialize<TenantRecord>((string)doc!, Json) : null;

    public async Task<IReadOnlyList<TenantRecord>> ListTenantsAsync(CancellationToken ct)
    {
        // Issued together, the reads share one round trip on the multiplexer's pipeline.
        var names = await _db.SortedSetRangeByRankAsync(TenantsKey);
        var tenants = await Task.WhenAll(names.Select(name => GetTenantAsync((string)name!, ct)));
        return [.. tenants.OfType<TenantRecord>()];
    }

    public async Task AddKeyAsync(ApiKeyRecord key, CancellationToken ct)
    {
        await _db.HashSetAsync(KeyKey(key.Id), "doc", JsonSerializer.Serialize(key with { RevokedAt = null }, Json));
        await _db.SortedSetAddAsync(KeysKey, key.Id, key.CreatedAt.ToUnixTimeMilliseconds());
    }

    public async Task<ApiKeyRecord?> GetKeyAsync(string id, CancellationToken ct)
    {
        var fields = await _db.HashGetAsync(KeyKey(id), ["doc", "revoked"]);
        if (fields[0].IsNull)
            return null;
        var key = JsonSerializer.Deserialize<ApiKeyRecord>((string)fields[0]!, Json)!;
        return fields[1].IsNull ? key : key with { RevokedAt = DateTimeOffset.FromUnixTimeMilliseconds((long)fields[1]) };
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string? tenant, CancellationToken ct)
    {
        var ids = await _db.SortedSetRangeByRankAsync(KeysKey);
        var keys = await Task.WhenAll(ids.Select(id => GetKeyAsync((string)id!, ct)));
        return [.. keys.OfType<ApiKeyRecord>().Where(key => tenant is null || key.Tenant == tenant)];
    }

    public async Task<bool> RevokeKeyAsync(string id, DateTimeOffset at, CancellationToken ct) =>
        await _db.KeyExistsAsync(KeyKey(id))
        && await _db.HashSetAsync(KeyKey(id), "revoked", at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), When.NotExists);
}
