using EmoFarm.Contracts;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Submission;

/// <summary>Publishes one <see cref="RenderSegment"/> per segment that is not yet done.</summary>
public sealed class SegmentDispatcher(IPublishEndpoint publisher, IRenderStore store, IOptions<OrchestratorOptions> options)
{
    public async Task DispatchAsync(RenderRecord render, IReadOnlyList<SegmentPlan> segments, CancellationToken ct)
    {
        var settings = render.Spec.Model;
        foreach (var segment in segments)
        {
            await publisher.Publish(new RenderSegment
            {
                RenderId = render.Id,
                SegmentIndex = segment.Index,
                SegmentCount = segments.Count,
                FirstFrame = segment.FirstFrame,
                FrameCount = segment.FrameCount,
                PortraitKey = render.PortraitKey,
                AudioSliceKey = BlobKeys.AudioSlice(render.Id, segment.Index),
                AudioLeadSamples = AudioSlicer.LeadSamples(segment.FirstFrame, settings.Fps, options.Value.AudioContextSeconds),
                Seed = Seeds.Derive(render.Spec.Seed, segment.Index),
                Settings = settings,
            }, c =>
            {
                // Priority is a RabbitMQ feature; the embedded in-memory transport simply keeps publication order.
                if (c.TryGetPayload<RabbitMqSendContext>(out _))
                    c.SetPriority((byte)render.Spec.Priority);
            }, ct);
        }
        await store.MarkDispatchedAsync(render.Id, ct);
    }
}
