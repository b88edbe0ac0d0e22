namespace EmoFarm.Farm.Tenancy;

/// <summary>Bearer tokens: from an OIDC authority (keys by discovery), or with the issuer and keys given here.</summary>
public sealed class JwtOptions
{
    /// <summary>An OIDC issuer whose discovery document gives the signing keys, e.g. a Keycloak realm.</summary>
    public string? Authority { get; set; }

    /// <summary>The <c>iss</c> a token must carry (defaults to <see cref="Authority"/>).</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> a token must carry; required whenever tokens are accepted.</summary>
    public string? Audience { get; set; }

    /// <summary>Signing keys without an authority: base64 HMAC secrets (HS256, at least 32 bytes) or PEM public keys (RSA or EC).</summary>
    public string[] SigningKeys { get; set; } = [];

    /// <summary>The claim that names the caller's tenant.</summary>
    public string TenantClaim { get; set; } = "tenant";

    /// <summary>The claim holding the caller's roles; <see cref="AdminRole"/> among them makes it an administrator.</summary>
    public string RoleClaim { get; set; } = "roles";

    public string AdminRole { get; set; } = "admin";

    /// <summary>Tolerated clock difference between the token's issuer and this server.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrEmpty(Authority) || SigningKeys.Length > 0;
}
