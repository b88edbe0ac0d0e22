namespace EmoFarm.Farm.Hosting;

public sealed class RabbitOptions
{
    public const string Section = "Rabbit";

    /// <summary>Empty selects the in-memory transport (embedded mode).</summary>
    public string Host { get; set; } = "";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "/";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";
}
