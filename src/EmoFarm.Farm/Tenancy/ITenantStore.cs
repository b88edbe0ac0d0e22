namespace EmoFarm.Farm.Tenancy;

/// <summary>Tenants and their API keys, beside the render state (Redis, or memory in a farm without it).</summary>
public interface ITenantStore
{
    /// <summary>Stores a new tenant; false when one of that name exists already (nothing changes).</summary>
    Task<bool> CreateTenantAsync(TenantRecord tenant, CancellationToken ct);

    Task<TenantRecord?> GetTenantAsync(string name, CancellationToken ct);

    Task<IReadOnlyList<TenantRecord>> ListTenantsAsync(CancellationToken ct);

    Task AddKeyAsync(ApiKeyRecord key, CancellationToken ct);

    Task<ApiKeyRecord?> GetKeyAsync(string id, CancellationToken ct);

    /// <summary>Keys of one tenant (null: of all), revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string? tenant, CancellationToken ct);

    /// <summary>Marks a key revoked from now on; false when there is no such key or it was revoked already.</summary>
    Task<bool> RevokeKeyAsync(string id, DateTimeOffset at, CancellationToken ct);
}
