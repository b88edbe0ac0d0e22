using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Tenancy;

/// <summary>
/// Every tenant's default quota, and per-tenant overrides (<c>Quotas:Tenants:NAME:MaxActiveRenders</c>). A quota
/// stored with the tenant (<c>emofarm tenants create --max-…</c>) overrides both.
/// </summary>
public sealed class QuotaOptions
{
    public const string Section = "Quotas";

    [ValidateObjectMembers]
    public TenantQuota Default { get; set; } = new()
    {
        MaxActiveRenders = 100,
        MaxQueuedAudioSeconds = 36_000,
        CreatesPerMinute = 120,
    };

    public Dictionary<string, TenantQuota> Tenants { get; set; } = [];
}
