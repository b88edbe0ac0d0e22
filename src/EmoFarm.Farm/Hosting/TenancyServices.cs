using System.Security.Cryptography;
using EmoFarm.Farm.Api;
using EmoFarm.Farm.Hosting;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace EmoFarm.Farm.Hosting;

/// <summary>
/// Authentication for the orchestrator's API: an <c>x-api-key</c> header, or a JWT bearer token when tokens are
/// configured. A policy scheme picks one per call by its headers, so the two never both run.
/// </summary>
public static class TenancyServices
{
    public const string Scheme = "EmoFarm";
    public const string AdminPolicy = "admin";

    public static IServiceCollection AddApiAuthentication(this IServiceCollection services, IConfiguration config)
    {
        services.AddSection<AuthOptions, AuthOptionsValidator>(AuthOptions.Section)
            .Validate(o => o.AdminKeySha256.All(d => d.Length == 64 && d.All(Uri.IsHexDigit)), "Auth:AdminKeySha256 holds SHA-256 digests: 64 hex digits each")
            .Validate(o => TenantName.IsValid(o.AdminTenant), "Auth:AdminTenant is not a tenant name: lowercase letters, digits and inner dashes")
            .Validate(o => !o.Jwt.Enabled || !string.IsNullOrEmpty(o.Jwt.Audience), "Auth:Jwt:Audience is required when tokens are accepted (Auth:Jwt:Authority or Auth:Jwt:SigningKeys)")
            .ValidateOnStart();
        var jwt = config.GetSection(AuthOptions.Section).Get<AuthOptions>()?.Jwt ?? new JwtOptions();
        var authentication = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key or bearer token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header) || !jwt.Enabled
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (jwt.Enabled)
        {
            authentication.AddJwtBearer(o =>
            {
                o.Authority = string.IsNullOrEmpty(jwt.Authority) ? null : jwt.Authority;
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Issuer ?? jwt.Authority,
                    ValidateIssuer = !string.IsNullOrEmpty(jwt.Issuer ?? jwt.Authority),
                    ValidAudience = jwt.Audience,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    ClockSkew = jwt.ClockSkew,
                    IssuerSigningKeys = jwt.SigningKeys.Length > 0 ? [.. jwt.SigningKeys.Select(SigningKey)] : null,
                };
                o.Events = new JwtBearerEvents { OnTokenValidated = context => JwtClaimsMapping.OnTokenValidated(context, jwt) };
            });
        }

        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().RequireClaim(CallerClaims.Tenant).Build())
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireClaim(CallerClaims.Admin, "true"));
        services.AddCreateRateLimit();
        return services;
    }

    // A PEM public key (RSA or EC), else a base64 HMAC secret.
    private static SecurityKey SigningKey(string text)
    {
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            if (TryEc(text) is { } ec)
                return new ECDsaSecurityKey(ec);
            var rsa = RSA.Create();
            rsa.ImportFromPem(text);
            return new RsaSecurityKey(rsa);
        }
        var bytes = Convert.FromBase64String(text);
        return bytes.Length >= 32
            ? new SymmetricSecurityKey(bytes)
            : throw new InvalidOperationException($"Auth:Jwt:SigningKeys: an HMAC secret of {bytes.Length} bytes; HS256 needs at least 32");
    }

    private static ECDsa? TryEc(string pem)
    {
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return ec;
        }
        catch (ArgumentException)
        {
            ec.Dispose();
            return null;
        }
        catch (CryptographicException)
        {
            ec.Dispose();
            return null;
        }
    }
}
