using System.Security.Claims;
using EmoFarm.Farm.State;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace EmoFarm.Farm.Tenancy;

/// <summary>
/// Maps a validated token onto <see cref="CallerClaims"/>: the configured tenant claim, and the admin role. A token
/// without a valid tenant is refused, not admitted with none, since every render must belong to someone.
/// </summary>
internal static class JwtClaimsMapping
{
    public static Task OnTokenValidated(TokenValidatedContext context, JwtOptions options)
    {
        var principal = context.Principal!;
        var tenant = principal.FindFirst(options.TenantClaim)?.Value;
        if (TenantName.Problem(tenant) is { } problem)
        {
            context.Fail($"the token's '{options.TenantClaim}' claim: {problem}");
            return Task.CompletedTask;
        }
        // Roles arrive as repeated claims or, from some issuers, as one JSON array the handler has already split.
        var admin = principal.FindAll(options.RoleClaim).Any(c => c.Value == options.AdminRole)
            || principal.FindAll(ClaimTypes.Role).Any(c => c.Value == options.AdminRole);
        var subject = principal.FindFirst("sub")?.Value ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "";
        // The token's own claims go: one named like ours ("emofarm:admin") must not be taken for the mapped one.
        context.Principal = new ClaimsPrincipal(CallerClaims.Identity(JwtBearerDefaults.AuthenticationScheme, tenant!, admin, $"jwt:{subject}"));
        return Task.CompletedTask;
    }
}
