using EmoFarm.Farm.Faces;
using EmoFarm.Farm.Messaging;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Tenancy;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EmoFarm.Farm.Hosting;

/// <summary>
/// Composes a farm process: what every role needs (state, objects, faces, retries), the roles the host names
/// (<c>AddOrchestrator</c>, <c>AddWorker</c>, or both in the embedded mode), then one bus for all their consumers.
/// Configuration picks the real services (RabbitMQ, Redis, S3) or their embedded stand-ins (in-memory transport and
/// state, a folder for objects).
/// </summary>
public static class FarmServices
{
    public static IServiceCollection AddFarm(this IServiceCollection services, IConfiguration config, Action<FarmBuilder> roles)
    {
        var farm = new FarmBuilder(services, config);
        AddCore(farm);
        roles(farm);
        if (farm.Roles.Count == 0)
            throw new InvalidOperationException("a farm process runs at least one role: AddOrchestrator(), AddWorker(), or both");
        AddBus(farm);
        return services;
    }

    private static void AddCore(FarmBuilder farm)
    {
        var services = farm.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSection<RetryOptions, RetryOptionsValidator>(RetryOptions.Section);
        services.AddSection<RabbitOptions, RabbitOptionsValidator>(RabbitOptions.Section);
        services.AddSection<RedisOptions, RedisOptionsValidator>(RedisOptions.Section);
        services.AddSection<FaceOptions, FaceOptionsValidator>(FaceOptions.Section);
        services.AddSection<QualityOptions, QualityOptionsValidator>(QualityOptions.Section);
        AddState(farm);
        AddBlobs(farm);
        services.AddHostedService<StorageStartup>();
        services.AddSingleton<FaceModels>().AddHostedService<FaceStartup>();
    }

    private static void AddState(FarmBuilder farm)
    {
        var services = farm.Services;
        if (!farm.Redis.Enabled)
        {
            services.AddSingleton<IRenderStore, InMemoryRenderStore>().AddSingleton<ITenantStore, InMemoryTenantStore>();
            return;
        }
        services.AddSingleton<IConnectionMultiplexer>(sp => ConnectionMultiplexer.Connect(sp.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration!));
        services.AddHealthChecks().AddCheck<DependencyHealthChecks.Redis>("redis", tags: [DependencyHealthChecks.ReadyTag]);
        services.AddSingleton<IRenderStore>(sp => new RedisRenderStore(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<RedisOptions>>().Value.Prefix));
        services.AddSingleton<ITenantStore>(sp => new RedisTenantStore(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<RedisOptions>>().Value.Prefix));
    }

    private static void AddBlobs(FarmBuilder farm)
    {
        var services = farm.Services;
        if (string.IsNullOrEmpty(farm.S3.Endpoint))
        {
            services.AddSection<StorageOptions, StorageOptionsValidator>(StorageOptions.Section);
            services.AddSingleton<IBlobStore>(sp => new FileBlobStore(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Root));
            return;
        }
        services.AddSection<S3Options, S3OptionsValidator>(S3Options.Section);
        services.AddHealthChecks().AddCheck<DependencyHealthChecks.Bucket>("s3", tags: [DependencyHealthChecks.ReadyTag]);
        services.AddSingleton<IBlobStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<S3Options>>().Value;
            return new S3BlobStore(S3BlobStore.CreateClient(options), options.Bucket, new S3UploadSigner(options, sp.GetRequiredService<TimeProvider>()));
        });
    }

    private static void AddBus(FarmBuilder farm)
    {
        // The host counts as started only once the bus is: the harness, Kubernetes and RenderRecovery all rely on
        // "Application started" meaning that messages can flow.
        farm.Services.AddOptions<MassTransitHostOptions>().Configure(o => o.WaitUntilStarted = true);
        farm.Services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            // Workers run in clusters that cannot (and should not) reach the vendor's usage endpoint.
            x.DisableUsageTelemetry();
            farm.AddConsumersTo(x);
            if (!farm.Rabbit.Enabled)
            {
                x.UsingInMemory((context, bus) => bus.ConfigureEndpoints(context));
                return;
            }
            x.UsingRabbitMq((context, bus) =>
            {
                var rabbit = context.GetRequiredService<IOptions<RabbitOptions>>().Value;
                bus.Host(rabbit.Host, (ushort)rabbit.Port, rabbit.VirtualHost, h =>
                {
                    h.Username(rabbit.Username);
                    h.Password(rabbit.Password);
                });
                farm.DeclareTopology(bus);
                bus.ConfigureEndpoints(context);
            });
        });
    }
}
