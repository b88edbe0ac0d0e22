using System.ComponentModel.DataAnnotations;

namespace EmoFarm.Farm.Hosting;

/// <summary>The broker; read once when the bus is composed, and validated at start like every section.</summary>
public sealed class RabbitOptions
{
    public const string Section = "Rabbit";

    /// <summary>Empty selects the in-memory transport (embedded mode).</summary>
    public string Host { get; set; } = "";

    [Range(1, 65535)] public int Port { get; set; } = 5672;

    [Required] public string VirtualHost { get; set; } = "/";

    [Required] public string Username { get; set; } = "guest";

    [Required] public string Password { get; set; } = "guest";

    public bool Enabled => !string.IsNullOrEmpty(Host);
}
