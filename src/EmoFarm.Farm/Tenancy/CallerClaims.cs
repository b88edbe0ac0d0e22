using System.Security.Claims;
using Grpc.Core;

namespace EmoFarm.Farm.Tenancy;

/// <summary>
/// The claims every authentication scheme leaves on the principal, whatever the credential: a JWT's own claim names
/// are mapped onto these when the token is validated, and an API key's record sets them directly.
/// </summary>
public static class CallerClaims
{
    public const string Tenant = "emofarm:tenant";
    public const string Admin = "emofarm:admin";
    public const string Subject = "emofarm:subject";

    public static ClaimsIdentity Identity(string scheme, string tenant, bool admin, string subject) => new(
    [
        new Claim(Tenant, tenant),
        new Claim(Admin, admin ? "true" : "false"),
        new Claim(Subject, subject),
    ], scheme);

    /// <summary>
    /// The caller of an RPC. The endpoint's authorization policy has already refused anyone without these claims,
    /// unless the farm is open, where an anonymous caller is <see cref="Caller.Local"/>.
    /// </summary>
    public static Caller Of(ServerCallContext context)
    {
        var user = context.GetHttpContext().User;
        return user.FindFirst(Tenant)?.Value is { } tenant
            ? new Caller(tenant, user.FindFirst(Admin)?.Value == "true", user.FindFirst(Subject)?.Value ?? "")
            : Caller.Local;
    }
}
