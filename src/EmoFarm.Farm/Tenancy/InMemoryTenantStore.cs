namespace EmoFarm.Farm.Tenancy;

/// <summary>Tenants and keys of a farm without Redis; they last as long as the process.</summary>
public sealed class InMemoryTenantStore : ITenantStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TenantRecord> _tenants = [];
    private readonly List<ApiKeyRecord> _keys = [];

    public Task<bool> CreateTenantAsync(TenantRecord tenant, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult(_tenants.TryAdd(tenant.Name, tenant));
    }

    public Task<TenantRecord?> GetTenantAsync(string name, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult(_tenants.GetValueOrDefault(name));
    }

    public Task<IReadOnlyList<TenantRecord>> ListTenantsAsync(CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<TenantRecord>>([.. _tenants.Values.OrderBy(t => t.CreatedAt)]);
    }

    public Task AddKeyAsync(ApiKeyRecord key, CancellationToken ct)
    {
        lock (_gate)
            _keys.Add(key with { RevokedAt = null });
        return Task.CompletedTask;
    }

    public Task<ApiKeyRecord?> GetKeyAsync(string id, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult(_keys.Find(k => k.Id == id));
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string? tenant, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<ApiKeyRecord>>([.. _keys.Where(k => tenant is null || k.Tenant == tenant)]);
    }

    public Task<bool> RevokeKeyAsync(string id, DateTimeOffset at, CancellationToken ct)
    {
        lock (_gate)
        {
            var index = _keys.FindIndex(k => k.Id == id);
            if (index < 0 || _keys[index].RevokedAt is not null)
                return Task.FromResult(false);
            _keys[index] = _keys[index] with { RevokedAt = at };
            return Task.FromResult(true);
        }
    }
}
