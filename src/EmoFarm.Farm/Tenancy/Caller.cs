using EmoFarm.Farm.State;

namespace EmoFarm.Farm.Tenancy;

/// <summary>Who is calling: the tenant whose renders and objects it may touch, and whether it may touch everyone's.</summary>
/// <param name="Subject">Who, within the tenant, for the audit trail: a token's subject or an API key's id.</param>
public sealed record Caller(string Tenant, bool IsAdmin, string Subject)
{
    /// <summary>
    /// The caller of a farm with authentication switched off (the embedded mode, or <c>Auth:Open</c>): there is
    /// only one party, and it owns everything.
    /// </summary>
    public static readonly Caller Local = new(TenantName.Local, IsAdmin: true, Subject: "local");

    /// <summary>Whether the render is this caller's to see. Anything else must look exactly like an unknown id.</summary>
    public bool Owns(RenderRecord render) => IsAdmin || render.Tenant == Tenant;

    /// <summary>The tenant whose renders a list returns; null lists every tenant's (an administrator's view).</summary>
    public string? ListScope => IsAdmin ? null : Tenant;
}
