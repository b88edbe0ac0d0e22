using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Hosting;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EmoFarm.Benchmarks;

/// <summary>One farm role as its own host with its own bus, wired exactly as the service executables wire it.</summary>
internal static class FarmHost
{
    public static async Task<IHost> StartOrchestratorAsync(Dictionary<string, string?> config) =>
        await StartAsync(config, orchestrator: true, worker: false, _ => { });

    public static async Task<IHost> StartWorkerAsync<TTimings>(Dictionary<string, string?> config, IClipRenderer renderer, TTimings timings)
        where TTimings : class, IConsumeObserver =>
        await StartAsync(config, orchestrator: false, worker: true, services =>
        {
            services.AddSingleton(renderer);
            services.AddConsumeObserver(_ => timings);
        });

    private static async Task<IHost> StartAsync(Dictionary<string, string?> config, bool orchestrator, bool worker, Action<IServiceCollection> extra)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(config);
        // Warnings only: a thousand segments' worth of information logs would cost more than the work measured.
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        // Return only once the bus is connected and its endpoints consume, so no host is still starting when the
        // clock does.
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        extra(builder.Services);
        builder.Services.AddFarm(builder.Configuration, farm =>
        {
            if (orchestrator)
                farm.AddOrchestrator();
            if (worker)
                farm.AddWorker();
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
