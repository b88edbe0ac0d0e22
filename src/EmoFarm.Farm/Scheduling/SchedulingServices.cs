using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EmoFarm.Farm.Scheduling;

/// <summary>The orchestrator's scheduler: its window in Redis when the farm has one, in memory when embedded.</summary>
public static class SchedulingServices
{
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SchedulingOptions>, SchedulingOptionsValidator>();
        if (string.IsNullOrEmpty(config["Redis:Configuration"]))
            services.AddSingleton<IWorkWindow, InMemoryWorkWindow>();
        else
            services.AddSingleton<IWorkWindow>(sp => new RedisWorkWindow(sp.GetRequiredService<IConnectionMultiplexer>(), config["Redis:Prefix"] ?? "emofarm:"));
        return services.AddSingleton<CommandPublisher>().AddSingleton<FairScheduler>().AddHostedService<WindowSweep>();
    }
}
