using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Hosting;
using EmoFarm.Farm.Tests.EndToEnd;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EmoFarm.Farm.Tests.Faults;

/// <summary>A worker role inside the test process, on a <see cref="FarmHarness"/>'s services, with a renderer the
/// test chooses; everything else (bus, consumers, store, bucket) is the farm's own.</summary>
internal sealed class InProcessWorker : IAsyncDisposable
{
    private readonly IHost _host;

    private InProcessWorker(IHost host) => _host = host;

    public static async Task<InProcessWorker> StartAsync(FarmHarness farm, string name, IClipRenderer renderer, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(farm.Configuration(name));
        builder.Services.AddSingleton(renderer);
        builder.Services.AddFarm(builder.Configuration, orchestrator: false, worker: true);
        var host = builder.Build();
        await host.StartAsync(ct);
        return new InProcessWorker(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
