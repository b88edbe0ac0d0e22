using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>
/// The worker role as a host inside the test process, on the real services, with a renderer the test chooses in
/// place of the model: the farm's own consumers, quality meter and bus run around it, so what the farm does with
/// the renderer's frames is what it does in production.
/// </summary>
internal sealed class InProcessWorker(IHost host) : IAsyncDisposable
{
    public static async Task<InProcessWorker> StartAsync(
        IReadOnlyDictionary<string, string?> configuration, Func<IServiceProvider, IClipRenderer> renderer, CancellationToken ct,
        Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddSingleton(renderer);
        services?.Invoke(builder.Services);
        builder.Services.AddFarm(builder.Configuration, farm => farm.AddWorker());
        var built = builder.Build();
        await built.StartAsync(ct);
        return new InProcessWorker(built);
    }

    public IServiceProvider Services => host.Services;

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync(CancellationToken.None);
        if (host is IAsyncDisposable d)
            await d.DisposeAsync();
        else
            host.Dispose();
    }
}
