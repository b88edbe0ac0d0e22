using System.Diagnostics;
using EmoFarm.Contracts;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Telemetry;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace EmoFarm.Farm.Video;

/// <summary>
/// Assembles the MP4 from the stored chunks (<see cref="VideoChunks"/>) and the encoded audio (<see cref="StoredVideo"/>):
/// no frame is encoded here, so the step takes about as long as copying the bytes. Runs again from the
/// start if the orchestrator dies half-way (the message is redelivered and the render is still "encoding"), and only
/// the assembly runs again; the output key is written in one atomic put, so nobody ever sees half a video. A step
/// that throws is retried (<see cref="FinalizeRenderConsumerDefinition"/>); after the last retry the render fails
/// with the error as its cause.
/// </summary>
public sealed partial class FinalizeRenderConsumer(
    IRenderStore store, IBlobStore blobs, RenderFailures failures, ILogger<FinalizeRenderConsumer> logger)
    : IConsumer<FinalizeRender>
{
    public async Task Consume(ConsumeContext<FinalizeRender> context)
    {
        try
        {
            await AssembleAsync(context);
        }
        catch (Exception e) when (failures.IsLastAttempt(context, FinalizeRenderConsumerDefinition.Queue))
        {
            await failures.GiveUpAsync(context.Message.RenderId, "encoding", e);
        }
    }

    private async Task AssembleAsync(ConsumeContext<FinalizeRender> context)
    {
        var id = context.Message.RenderId;
        var ct = context.CancellationToken;
        var render = await store.GetAsync(id, ct);
        if (render is null || render.State != RenderState.Encoding && !await store.TransitionAsync(id, RenderState.Encoding, null, ct))
            return;
        using var activity = FarmTelemetry.Source.StartActivity("encode render");
        activity?.SetTag("emofarm.render_id", id);
        var clock = Stopwatch.StartNew();

        var segments = await store.GetSegmentsAsync(id, ct);
        var frames = segments[^1].FirstFrame + segments[^1].FrameCount;
        var video = await StoredVideo.AssembleAsync(blobs, render.Tenant, id,
            [.. Enumerable.Range(0, segments.Count).Select(i => VideoChunks.Span(segments, i).FrameCount)], render.Spec.Model.Fps, render.AudioSeconds,
            path => AudioAsync(render, path, ct), ct);
        await store.SetOutputAsync(id, new RenderOutput(BlobKeys.Output(render.Tenant, id), video.Bytes, video.Sha256, render.AudioSeconds, frames), ct);
        if (await store.TransitionAsync(id, RenderState.Succeeded, null, ct))
            FarmTelemetry.RendersCompleted.Add(1, new KeyValuePair<string, object?>("state", "succeeded"));
        LogAssembled(logger, id, segments.Count, frames, video.Bytes, clock.Elapsed.TotalSeconds, video.Fetch.TotalSeconds, video.Join.TotalSeconds,
            video.Upload.TotalSeconds);
    }

    /// <summary>The audio a worker encoded while the frames rendered; encoded here if that never happened.</summary>
    private async Task AudioAsync(RenderRecord render, string path, CancellationToken ct)
    {
        var key = BlobKeys.OutputAudio(render.Tenant, render.Id);
        if (await blobs.StatAsync(key, ct) is not null)
        {
            await blobs.DownloadToFileAsync(key, path, ct);
            return;
        }
        LogAudioMissing(logger, render.Id);
        await AudioEncoder.EncodeStoredAsync(blobs, render.AudioKey, key, path, ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "render {RenderId} assembled: {Chunks} chunks, {Frames} frames, {Bytes} bytes in {Seconds:F1} s (fetch {Fetch:F1} s, join {Join:F1} s, upload {Upload:F1} s)")]
    private static partial void LogAssembled(ILogger logger, string renderId, int chunks, int frames, long bytes, double seconds, double fetch, double join, double upload);

    [LoggerMessage(Level = LogLevel.Warning, Message = "render {RenderId}: no encoded audio stored; encoding it now")]
    private static partial void LogAudioMissing(ILogger logger, string renderId);
}
