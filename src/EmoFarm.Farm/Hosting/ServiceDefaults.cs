using EmoFarm.Farm.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EmoFarm.Farm.Hosting;

/// <summary>What every EmoFarm service shares: traces, metrics, trace-stamped logs and health endpoints.</summary>
public static class ServiceDefaults
{
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Logging.AddSimpleConsole(o => o.IncludeScopes = true);
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? serviceName))
            .WithTracing(t =>
            {
                // MassTransit carries the trace context in message headers, so one trace spans every process.
                t.AddSource(FarmTelemetry.Name, FarmTelemetry.ModelName, "MassTransit").AddAspNetCoreInstrumentation();
                if (otlp)
                    t.AddOtlpExporter();
            })
            .WithMetrics(m =>
            {
                m.AddMeter(FarmTelemetry.Name, FarmTelemetry.ModelName, "MassTransit").AddPrometheusExporter();
                if (otlp)
                    m.AddOtlpExporter();
            });
        // Liveness is the process answering; it checks no dependency, so an outage elsewhere restarts nothing.
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: [DependencyHealthChecks.LiveTag]);
        return builder;
    }

    public static IEndpointRouteBuilder MapServiceEndpoints(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains(DependencyHealthChecks.LiveTag) });
        // MassTransit tags its bus check "ready" too; liveness stays free of dependencies, so a Redis outage makes
        // pods unready (no traffic) rather than restarting them all.
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(DependencyHealthChecks.ReadyTag) });
        return app;
    }
}
