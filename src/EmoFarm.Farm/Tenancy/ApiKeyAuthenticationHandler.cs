using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Tenancy;

/// <summary>
/// Authenticates an <c>x-api-key</c> header: an operator key from configuration, or a tenant's stored key that is
/// not revoked. Every lookup goes to the store, so a revocation holds from the next call on, on every replica.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory logger, UrlEncoder encoder,
    ITenantStore tenants, IOptions<AuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "x-api-key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || values.ToString() is not { Length: > 0 } key)
            return AuthenticateResult.NoResult();
        if (auth.Value.AdminKeySha256.Any(digest => ApiKeys.Matches(key, digest)))
            return Success(auth.Value.AdminTenant, admin: true, subject: "operator-key");
        if (ApiKeys.IdOf(key) is not { } id)
            return AuthenticateResult.Fail("the API key is not in the efk_ID_SECRET format");
        var record = await tenants.GetKeyAsync(id, Context.RequestAborted);
        if (record is null || !ApiKeys.Matches(key, record.Sha256))
            return AuthenticateResult.Fail("the API key is not known");
        if (record.RevokedAt is { } revoked)
            return AuthenticateResult.Fail($"the API key {id} was revoked at {revoked:u}");
        return Success(record.Tenant, record.Admin, $"key:{id}");
    }

    private static AuthenticateResult Success(string tenant, bool admin, string subject) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(CallerClaims.Identity(SchemeName, tenant, admin, subject)), SchemeName));
}
