using EmoFarm.Contracts;
using EmoFarm.Farm.Api;
using EmoFarm.Farm.Conditioning;
using EmoFarm.Farm.Faces;
using EmoFarm.Farm.Orchestration;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.Seams;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Submission;
using EmoFarm.Farm.Telemetry;
using EmoFarm.Farm.Tenancy;
using EmoFarm.Farm.Work;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EmoFarm.Farm.Hosting;

/// <summary>
/// Wires the farm. Each role adds its consumers to one bus; configuration picks the real services (RabbitMQ,
/// Redis, S3) or their embedded stand-ins (in-memory transport and state, a folder for objects).
/// </summary>
public static class FarmServices
{
    public static IServiceCollection AddFarm(this IServiceCollection services, IConfiguration config, bool orchestrator, bool worker)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<RenderDefaults>().BindConfiguration(RenderDefaults.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OrchestratorOptions>().BindConfiguration(OrchestratorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RabbitOptions>().BindConfiguration(RabbitOptions.Section);
        services.AddOptions<RetryOptions>().BindConfiguration(RetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        AddState(services, config);
        AddBlobs(services, config);
        services.AddHostedService<StorageStartup>();
        services.AddOptions<FaceOptions>().BindConfiguration(FaceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<QualityOptions>().BindConfiguration(QualityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FaceModels>().AddHostedService<FaceStartup>();

        if (orchestrator)
        {
            services.AddOptions<QuotaOptions>().BindConfiguration(QuotaOptions.Section)
                .Validate(o => o.Tenants.Keys.All(TenantName.IsValid), "Quotas:Tenants: every key must be a tenant name").ValidateOnStart();
            services.AddSingleton<TenantQuotas>();
            services.AddOptions<ConditioningOptions>().BindConfiguration(ConditioningOptions.Section).ValidateDataAnnotations().ValidateOnStart();
            services.AddSingleton<ConditioningModels>().AddSingleton<PortraitAnalyzer>().AddSingleton<VocalTrack>().AddHostedService<ConditioningStartup>();
            services.AddSingleton<SegmentDispatcher>().AddSingleton<RenderSubmitter>().AddSingleton<PortraitPreparer>().AddSingleton<SeamQualityMeter>()
                .AddSingleton<CrossfadeReconciler>().AddSingleton<MotionFrameReconciler>().AddSingleton<SeamCoordinator>().AddSingleton<VideoChunks>().AddSingleton<SegmentTakes>()
                .AddSingleton<RenderFailures>().AddSingleton<RenderResumer>().AddHostedService<RenderRecovery>().AddHostedService<ActiveRendersGauge>();
            services.AddScheduling(config);
        }

        if (worker)
            services.AddSingleton<SegmentQualityMeter>();

        // The host counts as started only once the bus is: the harness, Kubernetes and RenderRecovery all rely on
        // "Application started" meaning that messages can flow.
        services.AddOptions<MassTransitHostOptions>().Configure(o => o.WaitUntilStarted = true);
        services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            // Workers run in clusters that cannot (and should not) reach the vendor's usage endpoint.
            x.DisableUsageTelemetry();
            if (orchestrator)
            {
                x.AddConsumer<SegmentRenderedConsumer, SegmentRenderedConsumerDefinition>();
                x.AddConsumer<SegmentFailedConsumer, SegmentFailedConsumerDefinition>();
                x.AddConsumer<SeamRenderedConsumer, SeamRenderedConsumerDefinition>();
                x.AddConsumer<SeamFailedConsumer, SeamFailedConsumerDefinition>();
                x.AddConsumer<FinalizeRenderConsumer, FinalizeRenderConsumerDefinition>();
                x.AddConsumer<ChunkEncodedConsumer, ChunkEncodedConsumerDefinition>();
                x.AddConsumer<ChunkFaultConsumer, ChunkFaultConsumerDefinition>();
            }
            if (worker)
            {
                x.AddConsumer<RenderSegmentConsumer, RenderSegmentConsumerDefinition>();
                x.AddConsumer<RenderSeamConsumer, RenderSeamConsumerDefinition>();
                x.AddConsumer<EncodeChunkConsumer, EncodeChunkConsumerDefinition>();
                x.AddConsumer<EncodeAudioConsumer, EncodeAudioConsumerDefinition>();
            }
            var rabbit = config.GetSection(RabbitOptions.Section).Get<RabbitOptions>() ?? new RabbitOptions();
            if (string.IsNullOrEmpty(rabbit.Host))
            {
                x.UsingInMemory((context, bus) => bus.ConfigureEndpoints(context));
                return;
            }
            x.UsingRabbitMq((context, bus) =>
            {
                bus.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, h =>
                {
                    h.Username(rabbit.Username);
                    h.Password(rabbit.Password);
                });
                if (orchestrator)
                {
                    // Workers may all be scaled to zero: declare their queues from the publishing side too, bound
                    // straight to the message type's exchange, so a segment published before any worker has ever
                    // started waits in its queue. (Binding a queue under its own exchange name does not link that
                    // exchange to the message type's, and the type exchange, with nothing bound, drops the message.)
                    var segmentExchange = bus.MessageTopology.GetMessageTopology<RenderSegment>().EntityName;
                    bus.Publish<RenderSegment>(p => p.BindQueue(segmentExchange, RenderSegmentConsumerDefinition.Queue,
                        b => b.SetQueueArgument("x-max-priority", RenderSegmentConsumerDefinition.MaxPriority)));
                    var seamExchange = bus.MessageTopology.GetMessageTopology<RenderSeam>().EntityName;
                    bus.Publish<RenderSeam>(p => p.BindQueue(seamExchange, RenderSeamConsumerDefinition.Queue));
                    bus.Publish<EncodeChunk>(p => p.BindQueue(bus.MessageTopology.GetMessageTopology<EncodeChunk>().EntityName, EncodeChunkConsumerDefinition.Queue));
                    bus.Publish<EncodeAudio>(p => p.BindQueue(bus.MessageTopology.GetMessageTopology<EncodeAudio>().EntityName, EncodeAudioConsumerDefinition.Queue));
                }
                bus.ConfigureEndpoints(context);
            });
        });
        return services;
    }

    private static void AddState(IServiceCollection services, IConfiguration config)
    {
        var redis = config["Redis:Configuration"];
        if (string.IsNullOrEmpty(redis))
        {
            services.AddSingleton<IRenderStore, InMemoryRenderStore>().AddSingleton<ITenantStore, InMemoryTenantStore>();
            return;
        }
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis));
        services.AddHealthChecks().AddCheck<DependencyHealthChecks.Redis>("redis", tags: [DependencyHealthChecks.ReadyTag]);
        services.AddSingleton<IRenderStore>(sp => new RedisRenderStore(sp.GetRequiredService<IConnectionMultiplexer>(), config["Redis:Prefix"] ?? "emofarm:"));
        services.AddSingleton<ITenantStore>(sp => new RedisTenantStore(sp.GetRequiredService<IConnectionMultiplexer>(), config["Redis:Prefix"] ?? "emofarm:"));
    }

    private static void AddBlobs(IServiceCollection services, IConfiguration config)
    {
        if (string.IsNullOrEmpty(config["S3:Endpoint"]))
        {
            var root = config["Storage:Root"] ?? Path.Combine(Path.GetTempPath(), "emofarm-blobs");
            services.AddSingleton<IBlobStore>(new FileBlobStore(root));
            return;
        }
        services.AddOptions<S3Options>().BindConfiguration(S3Options.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHealthChecks().AddCheck<DependencyHealthChecks.Bucket>("s3", tags: [DependencyHealthChecks.ReadyTag]);
        services.AddSingleton<IBlobStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<S3Options>>().Value;
            return new S3BlobStore(S3BlobStore.CreateClient(options), options.Bucket, new S3UploadSigner(options, sp.GetRequiredService<TimeProvider>()));
        });
    }
}
