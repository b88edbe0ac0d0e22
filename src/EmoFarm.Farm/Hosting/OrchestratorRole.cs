using EmoFarm.Contracts;
using EmoFarm.Farm.Api;
using EmoFarm.Farm.Conditioning;
using EmoFarm.Farm.Hosting;
using EmoFarm.Farm.Orchestration;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.Seams;
using EmoFarm.Farm.Submission;
using EmoFarm.Farm.Tenancy;
using EmoFarm.Farm.Video;
using EmoFarm.Farm.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Hosting;

/// <summary>
/// The orchestrator: takes renders in, plans and schedules their segments, reconciles seams, encodes the video, and
/// resumes what a restart interrupted. The gRPC API and its authentication are the host's (the embedded mode has
/// neither).
/// </summary>
public static class OrchestratorRole
{
    public const string Name = "orchestrator";

    public static FarmBuilder AddOrchestrator(this FarmBuilder farm)
    {
        farm.ClaimRole(Name);
        var services = farm.Services;
        services.AddSection<RenderDefaults, RenderDefaultsValidator>(RenderDefaults.Section);
        services.AddSection<OrchestratorOptions, OrchestratorOptionsValidator>(OrchestratorOptions.Section);
        services.AddSection<ConditioningOptions, ConditioningOptionsValidator>(ConditioningOptions.Section);
        services.AddSection<QuotaOptions, QuotaOptionsValidator>(QuotaOptions.Section);
        services.AddSingleton<IValidateOptions<QuotaOptions>, QuotaTenantsValidator>();
        services.AddSingleton<TenantQuotas>();
        services.AddSingleton<ConditioningModels>().AddSingleton<PortraitAnalyzer>().AddSingleton<VocalTrack>().AddHostedService<ConditioningStartup>();
        services.AddSingleton<SegmentDispatcher>().AddSingleton<RenderSubmitter>().AddSingleton<PortraitPreparer>().AddSingleton<SeamQualityMeter>()
            .AddSingleton<CrossfadeReconciler>().AddSingleton<MotionFrameReconciler>().AddSingleton<SeamCoordinator>().AddSingleton<VideoChunks>().AddSingleton<RenderCompletion>().AddSingleton<PreviewWriter>().AddSingleton<SegmentTakes>()
            .AddSingleton<RenderFailures>().AddSingleton<RenderResumer>().AddHostedService<RenderRecovery>().AddHostedService<ActiveRendersGauge>();
        farm.AddScheduling();

        farm.Consumer<SegmentRenderedConsumer, SegmentRenderedConsumerDefinition>()
            .Consumer<SegmentFailedConsumer, SegmentFailedConsumerDefinition>()
            .Consumer<SeamRenderedConsumer, SeamRenderedConsumerDefinition>()
            .Consumer<SeamFailedConsumer, SeamFailedConsumerDefinition>()
            .Consumer<FinalizeRenderConsumer, FinalizeRenderConsumerDefinition>()
            .Consumer<ChunkEncodedConsumer, ChunkEncodedConsumerDefinition>()
            .Consumer<ChunkFaultConsumer, ChunkFaultConsumerDefinition>();
        // Workers may all be scaled to zero: declare their queues from the publishing side too, bound straight to
        // the message type's exchange, so a segment published before any worker has ever started waits in its
        // queue. (Binding a queue under its own exchange name does not link that exchange to the message type's,
        // and the type exchange, with nothing bound, drops the message.)
        farm.RabbitTopology(bus =>
        {
            var segmentExchange = bus.MessageTopology.GetMessageTopology<RenderSegment>().EntityName;
            bus.Publish<RenderSegment>(p => p.BindQueue(segmentExchange, RenderSegmentConsumerDefinition.Queue,
                b => b.SetQueueArgument("x-max-priority", RenderSegmentConsumerDefinition.MaxPriority)));
            var seamExchange = bus.MessageTopology.GetMessageTopology<RenderSeam>().EntityName;
            bus.Publish<RenderSeam>(p => p.BindQueue(seamExchange, RenderSeamConsumerDefinition.Queue));
            bus.Publish<EncodeChunk>(p => p.BindQueue(bus.MessageTopology.GetMessageTopology<EncodeChunk>().EntityName, EncodeChunkConsumerDefinition.Queue));
            bus.Publish<EncodeAudio>(p => p.BindQueue(bus.MessageTopology.GetMessageTopology<EncodeAudio>().EntityName, EncodeAudioConsumerDefinition.Queue));
        });
        return farm;
    }
}
