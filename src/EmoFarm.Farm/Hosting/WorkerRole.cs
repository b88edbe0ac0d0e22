using EmoFarm.Farm.Faces;
using EmoFarm.Farm.Hosting;
using EmoFarm.Farm.Seams;
using EmoFarm.Farm.Video;
using EmoFarm.Farm.Work;
using Microsoft.Extensions.DependencyInjection;

namespace EmoFarm.Farm.Hosting;

/// <summary>
/// The worker: renders segments and seam continuations with the host's <c>IClipRenderer</c> (the EMO model, or a
/// test's stand-in) and stores their frames. The renderer is the host's to register.
/// </summary>
public static class WorkerRole
{
    public const string Name = "worker";

    public static FarmBuilder AddWorker(this FarmBuilder farm)
    {
        farm.ClaimRole(Name);
        farm.Services.AddSection<WorkerOptions, WorkerOptionsValidator>(WorkerOptions.Section);
        farm.Services.AddSingleton<SegmentQualityMeter>().AddHostedService<RendererCapacity>();
        return farm.Consumer<RenderSegmentConsumer, RenderSegmentConsumerDefinition>()
            .Consumer<RenderSeamConsumer, RenderSeamConsumerDefinition>()
            .Consumer<EncodeChunkConsumer, EncodeChunkConsumerDefinition>()
            .Consumer<EncodeAudioConsumer, EncodeAudioConsumerDefinition>();
    }
}
