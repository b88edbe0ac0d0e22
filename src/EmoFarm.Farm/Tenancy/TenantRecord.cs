namespace EmoFarm.Farm.Tenancy;

/// <summary>A tenant as an operator created it, with the quotas that override the configured ones.</summary>
public sealed record TenantRecord(string Name, DateTimeOffset CreatedAt, TenantQuota Quota);
