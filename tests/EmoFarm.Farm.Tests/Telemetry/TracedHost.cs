using System.Diagnostics;
using System.Globalization;
using EmoFarm.Farm.Hosting;
using EmoFarm.Farm.Telemetry;
using EmoFarm.Farm.Tests.Services;
using EmoFarm.Model.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace EmoFarm.Farm.Tests.Telemetry;

/// <summary>
/// One farm role as a host inside the test process, on the real services, with its own bus and its own tracer
/// provider exporting to memory. The roles share nothing in-process but the ActivitySources, so the only way a
/// worker span can reach the orchestrator's trace is through the message headers.
/// </summary>
internal sealed class TracedHost : IAsyncDisposable
{
    private TracedHost(IHost host, List<Activity> spans)
    {
        Host = host;
        Spans = spans;
    }

    public IHost Host { get; }

    /// <summary>Every span this host's provider exported. ActivityListeners are process-wide, so a provider also
    /// sees spans the other role started; callers merge both lists by span id.</summary>
    public List<Activity> Spans { get; }

    public static async Task<TracedHost> StartAsync(FarmSettings settings, bool worker, CancellationToken ct)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Configuration(worker));
        var spans = new List<Activity>();
        builder.Services.AddOpenTelemetry().WithTracing(t => t
            .AddSource(FarmTelemetry.Name, FarmTelemetry.ModelName, "MassTransit")
            .AddInMemoryExporter(spans));
        if (worker)
            builder.Services.AddEmoRenderer(builder.Configuration);
        builder.Services.AddFarm(builder.Configuration, farm => _ = worker ? farm.AddWorker() : farm.AddOrchestrator());
        var host = builder.Build();
        await host.StartAsync(ct);
        return new TracedHost(host, spans);
    }

    /// <summary>Stops the bus (in-flight consumers finish, so their spans end) and flushes the exporter.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        await Host.StopAsync(ct);
        Host.Services.GetRequiredService<TracerProvider>().ForceFlush();
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is IAsyncDisposable d)
            await d.DisposeAsync();
        else
            Host.Dispose();
    }

    /// <summary>Where both roles find the shared services, isolated by virtual host, key prefix and bucket.</summary>
    internal sealed record FarmSettings(RabbitMqFixture Rabbit, RedisFixture Redis, S3Fixture S3, string Id)
    {
        public string VirtualHost => $"vh-{Id}";

        public Dictionary<string, string?> Configuration(bool worker) => new()
        {
            ["Rabbit:Host"] = "127.0.0.1",
            ["Rabbit:Port"] = Rabbit.Broker.AmqpPort.ToString(CultureInfo.InvariantCulture),
            ["Rabbit:VirtualHost"] = VirtualHost,
            ["Rabbit:Username"] = Rabbit.Broker.Username,
            ["Rabbit:Password"] = Rabbit.Broker.Password,
            ["Redis:Configuration"] = Redis.Server.ConnectionString,
            ["Redis:Prefix"] = $"t-{Id}:",
            ["S3:Endpoint"] = S3.Server.Endpoint,
            ["S3:AccessKey"] = S3.Server.AccessKey,
            ["S3:SecretKey"] = S3.Server.SecretKey,
            ["S3:Region"] = S3.Server.Region,
            ["S3:Bucket"] = $"b-{Id}",
            ["Worker:Name"] = worker ? "trace-worker" : "trace-orchestrator",
            ["Model:Config"] = "tiny",
            ["Model:RandomWeights"] = "true",
        };
    }
}
