using EmoFarm.Contracts;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Submission;

/// <summary>Publishes the <see cref="RenderSegment"/> commands of a render: every segment's first take, and retakes.</summary>
public sealed class SegmentDispatcher(IPublishEndpoint publisher, IRenderStore store, IOptions<OrchestratorOptions> options)
{
    public async Task DispatchAsync(RenderRecord render, IReadOnlyList<SegmentPlan> segments, CancellationToken ct)
    {
        foreach (var segment in segments)
            await PublishAsync(render, segment, take: 0, ct);
        await store.MarkDispatchedAsync(render.Id, ct);
    }

    /// <summary>
    /// Publishes every segment that is not done, each at its current take, after a restart found the render
    /// undispatched or an operator retried it. A segment whose command is also still queued is rendered once: the
    /// worker that takes the second command finds it done, or resumes after its stored clips.
    /// </summary>
    public async Task RedispatchAsync(RenderRecord render, IReadOnlyList<SegmentRecord> segments, CancellationToken ct)
    {
        foreach (var segment in segments.Where(s => s.State != SegmentState.Done))
            await PublishAsync(render, new SegmentPlan(segment.Index, segment.FirstFrame, segment.FrameCount), segment.Take, ct);
        await store.MarkDispatchedAsync(render.Id, ct);
    }

    /// <summary>Publishes the segment's current take again, after a quality retake.</summary>
    public Task RetakeAsync(RenderRecord render, SegmentRecord segment, CancellationToken ct) =>
        PublishAsync(render, new SegmentPlan(segment.Index, segment.FirstFrame, segment.FrameCount), segment.Take, ct);

    private Task PublishAsync(RenderRecord render, SegmentPlan segment, int take, CancellationToken ct)
    {
        var settings = render.Spec.Model;
        return publisher.Publish(new RenderSegment
        {
            RenderId = render.Id,
            Tenant = render.Tenant,
            SegmentIndex = segment.Index,
            SegmentCount = render.SegmentCount,
            FirstFrame = segment.FirstFrame,
            FrameCount = segment.FrameCount,
            PortraitKey = render.PortraitKey,
            AudioSliceKey = BlobKeys.AudioSlice(render.Tenant, render.Id, segment.Index),
            AudioLeadSamples = AudioSlicer.LeadSamples(segment.FirstFrame, settings.Fps, options.Value.AudioContextSeconds),
            Seed = Seeds.ForSegment(render.Spec.Seed, segment.Index, take),
            Settings = settings,
            Take = take,
            Analysis = render.Analysis,
            MaxAttempts = options.Value.MaxSegmentAttempts,
        }, c =>
        {
            // Priority is a RabbitMQ feature; the embedded in-memory transport simply keeps publication order.
            if (c.TryGetPayload<RabbitMqSendContext>(out _))
                c.SetPriority((byte)render.Spec.Priority);
        }, ct);
    }
}
