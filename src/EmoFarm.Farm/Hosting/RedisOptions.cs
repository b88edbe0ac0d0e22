using System.ComponentModel.DataAnnotations;

namespace EmoFarm.Farm.Hosting;

/// <summary>Where render state, tenants and the scheduler's window live.</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string; empty keeps state in memory (embedded mode).</summary>
    public string? Configuration { get; set; }

    /// <summary>Put before every key, so that several farms can share one Redis.</summary>
    [Required, RegularExpression("^[A-Za-z0-9:_.-]{1,64}$", ErrorMessage = "Redis:Prefix must be 1 to 64 letters, digits and ':_.-'")]
    public string Prefix { get; set; } = "emofarm:";

    public bool Enabled => !string.IsNullOrEmpty(Configuration);
}
