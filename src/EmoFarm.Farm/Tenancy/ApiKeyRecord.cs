namespace EmoFarm.Farm.Tenancy;

/// <summary>A stored API key: only its SHA-256 is kept, never the key itself, which its holder saw once.</summary>
public sealed record ApiKeyRecord(string Id, string Tenant, bool Admin, string Sha256, DateTimeOffset CreatedAt, string? Description)
{
    public DateTimeOffset? RevokedAt { get; init; }
}
