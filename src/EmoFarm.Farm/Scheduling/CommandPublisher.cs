using System.Globalization;
using System.Text.Json;
using EmoFarm.Contracts;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Scheduling;

/// <summary>Turns window items into the commands workers consume, and publishes them.</summary>
public sealed class CommandPublisher(IPublishEndpoint publisher, IOptions<OrchestratorOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static WindowItem Segment(string renderId, SegmentPlan segment, int take) =>
        // Retakes before first takes: a render waits on its retakes to finish, and its first takes are many.
        new(renderId, WindowItem.SegmentKey(segment.Index, take), $"{segment.FirstFrame}:{segment.FrameCount}", take > 0 ? segment.Index - 1e9 : segment.Index);

    public static WindowItem Seam(RenderSeam seam) =>
        // Seams before everything: they come at a render's end, and nothing else of it is left to wait for.
        new(seam.RenderId, WindowItem.SeamKey(seam.SeamIndex), JsonSerializer.Serialize(seam, Json), seam.SeamIndex - 2e9);

    /// <param name="priority">
    /// Set on the message only for publish-all: with the window, priority orders a tenant's own renders in the
    /// scheduler, and a broker priority would let one tenant's commands pass another's queued ones.
    /// </param>
    public Task PublishAsync(RenderRecord render, WindowItem item, bool priority, CancellationToken ct)
    {
        if (item.Key.StartsWith("m:", StringComparison.Ordinal))
            return publisher.Publish(JsonSerializer.Deserialize<RenderSeam>(item.Payload, Json)!, ct);
        var key = item.Key.Split(':');
        var frames = item.Payload.Split(':');
        var segment = new SegmentPlan(int.Parse(key[1], CultureInfo.InvariantCulture), int.Parse(frames[0], CultureInfo.InvariantCulture),
            int.Parse(frames[1], CultureInfo.InvariantCulture));
        var take = int.Parse(key[2], CultureInfo.InvariantCulture);
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
            if (priority && c.TryGetPayload<RabbitMqSendContext>(out _))
                c.SetPriority((byte)render.Spec.Priority);
        }, ct);
    }
}
