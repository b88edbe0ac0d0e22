using System.ComponentModel.DataAnnotations;

namespace EmoFarm.Farm.Tenancy;

/// <summary>Who may call the orchestrator's API, and how a credential names its tenant.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// No authentication: every caller is the administrator of the one tenant "local". Only for a farm that nothing
    /// else can reach; the orchestrator warns at start that it is open.
    /// </summary>
    public bool Open { get; set; }

    /// <summary>
    /// SHA-256 digests (hex) of operator API keys, each an administrator of <see cref="AdminTenant"/>. They let the
    /// first <c>emofarm tenants create</c> run before any key is stored; the chart reads them from a Secret.
    /// </summary>
    public string[] AdminKeySha256 { get; set; } = [];

    /// <summary>The tenant an operator key acts as when it creates renders of its own.</summary>
    [Required] public string AdminTenant { get; set; } = "operators";

    public JwtOptions Jwt { get; set; } = new();
}
