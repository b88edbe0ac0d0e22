using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Tenancy;

/// <summary>A tenant's effective quota: its stored record's limits, over its configured ones, over the defaults.</summary>
public sealed class TenantQuotas(ITenantStore tenants, IOptionsMonitor<QuotaOptions> options)
{
    public async Task<TenantQuota> ForAsync(string tenant, CancellationToken ct)
    {
        var quota = Configured(tenant);
        return (await tenants.GetTenantAsync(tenant, ct))?.Quota.Over(quota) ?? quota;
    }

    /// <summary>Without the stored record: what holds while the store cannot be read.</summary>
    public TenantQuota Configured(string tenant)
    {
        var configured = options.CurrentValue;
        return configured.Tenants.TryGetValue(tenant, out var own) ? own.Over(configured.Default) : configured.Default;
    }
}
