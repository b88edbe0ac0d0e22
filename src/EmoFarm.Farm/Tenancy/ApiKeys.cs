using System.Security.Cryptography;
using System.Text;

namespace EmoFarm.Farm.Tenancy;

/// <summary>
/// The API key format: <c>efk_ID_SECRET</c>. The id finds the stored record in one lookup; the whole key's
/// SHA-256 must match the record's, compared in constant time. 32 random bytes make a stored digest useless to
/// anyone who reads Redis, without the cost of a password hash on every call.
/// </summary>
public static class ApiKeys
{
    private const string Prefix = "efk_";

    public static (string Key, string Id) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return ($"{Prefix}{id}_{secret}", id);
    }

    public static string Sha256(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The id a key names, or null when it is not in the format.</summary>
    public static string? IdOf(string key) =>
        key.StartsWith(Prefix, StringComparison.Ordinal) && key.IndexOf('_', Prefix.Length) is var end and > 0
            ? key[Prefix.Length..end]
            : null;

    public static bool Matches(string key, string sha256Hex) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sha256(key)), Encoding.ASCII.GetBytes(sha256Hex.ToLowerInvariant()));
}
