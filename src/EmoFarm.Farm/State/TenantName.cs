using System.Text.RegularExpressions;

namespace EmoFarm.Farm.State;

/// <summary>
/// A tenant's name appears in object keys, Redis keys and metric labels, so it is kept to a safe alphabet: lowercase
/// letters, digits and inner dashes, at most 63 characters (a DNS label, as Kubernetes namespaces are).
/// </summary>
public static partial class TenantName
{
    public const int MaxLength = 63;

    /// <summary>The one tenant of a farm without authentication.</summary>
    public const string Local = "local";

    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(name);

    /// <summary>Why <paramref name="name"/> is not a tenant name, or null when it is one.</summary>
    public static string? Problem(string? name) => IsValid(name)
        ? null
        : $"'{name}' is not a tenant name: 1 to {MaxLength} lowercase letters, digits and inner dashes";

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
