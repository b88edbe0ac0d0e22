using EmoFarm.Farm.Hosting;
using EmoFarm.Farm.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EmoFarm.Farm.Hosting;

/// <summary>The orchestrator's scheduler: its window in Redis when the farm has one, in memory when embedded.</summary>
public static class SchedulingServices
{
    public static FarmBuilder AddScheduling(this FarmBuilder farm)
    {
        var services = farm.Services;
        services.AddSection<SchedulingOptions, SchedulingOptionsAnnotations>(SchedulingOptions.Section);
        services.AddSingleton<IValidateOptions<SchedulingOptions>, SchedulingOptionsValidator>();
        if (farm.Redis.Enabled)
            services.AddSingleton<IWorkWindow>(sp => new RedisWorkWindow(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<RedisOptions>>().Value.Prefix));
        else
            services.AddSingleton<IWorkWindow, InMemoryWorkWindow>();
        services.AddSingleton<CommandPublisher>().AddSingleton<FairScheduler>().AddHostedService<WindowSweep>();
        return farm;
    }
}
