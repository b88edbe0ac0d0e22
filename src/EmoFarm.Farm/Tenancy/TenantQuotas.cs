using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Tenancy;

/// <summary>A tenant's effective quota: its stored record's limits, over its configured ones, over the defaults.</summary>
public sealed class TenantQuotas(ITenantStore tenants, IOptionsMonitor<QuotaOptions> options)
{
    public async Task<TenantQuota> ForAsync(string tenant, CancellationToken ct)
    {
        var configured = options.CurrentValue;
        var quota = configured.Tenants.TryGetValue(tenant, out var own) ? own.Over(configured.Default) : configured.Default;
        return (await tenants.GetTenantAsync(tenant, ct))?.Quota.Over(quota) ?? quota;
    }

    /// <summary>The configured rate only, for the rate limiter, which must decide without a store round trip.</summary>
    public int? CreatesPerMinute(string tenant)
    {
        var configured = options.CurrentValue;
        return configured.Tenants.TryGetValue(tenant, out var own) && own.CreatesPerMinute is { } rate ? rate : configured.Default.CreatesPerMinute;
    }
}
