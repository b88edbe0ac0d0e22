using System.Diagnostics;
using System.Security.Cryptography;
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
/// Assembles the MP4 from the stored chunks (<see cref="VideoChunks"/>) and the encoded audio by stream copy, and
/// uploads it: no frame is encoded here, so the step takes about as long as copying the bytes. Runs again from the
/// start if the orchestrator dies half-way (the message is redelivered and the render is still "encoding"), and only
/// the assembly runs again; the output key is written in one atomic put, so nobody ever sees half a video. A step
/// that throws is retried (<see cref="FinalizeRenderConsumerDefinition"/>); after the last retry the render fails
/// with the error as its cause.
/// </summary>
public sealed partial class FinalizeRenderConsumer(
    IRenderStore store, IBlobStore blobs, RenderFailures failures, ILogger<FinalizeRenderConsumer> logger)
    : IConsumer<FinalizeRender>
{
    /// <summary>Chunks downloaded at once.</summary>
    private const int Downloads = 8;

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
        var work = Directory.CreateTempSubdirectory("emofarm-assemble-");
        try
        {
            var audioPath = Path.Combine(work.FullName, "audio.m4a");
            var videoPath = Path.Combine(work.FullName, "render.mp4");
            var chunks = Enumerable.Range(0, segments.Count)
                .Select(i => (Path: Path.Combine(work.FullName, $"{i:D5}.ts"), VideoChunks.Span(segments, i).FrameCount)).ToList();
            // Both to the end, even when one throws, so that nothing still writes into the folder as it is deleted.
            await Task.WhenAll(
                Parallel.ForAsync(0, chunks.Count, new ParallelOptions { MaxDegreeOfParallelism = Downloads, CancellationToken = ct },
                    async (i, c) => await blobs.DownloadToFileAsync(BlobKeys.Chunk(render.Tenant, id, i), chunks[i].Path, c)),
                AudioAsync(render, audioPath, ct));
            await VideoAssembler.AssembleAsync(chunks, render.Spec.Model.Fps, audioPath, render.AudioSeconds, videoPath, ct);

            string sha;
            await using (var file = File.OpenRead(videoPath))
                sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
            var size = new FileInfo(videoPath).Length;
            using (FarmTelemetry.Source.StartActivity("upload output")?.SetTag("emofarm.bytes", size))
                await blobs.UploadFileAsync(BlobKeys.Output(render.Tenant, id), videoPath, "video/mp4", ct);
            await store.SetOutputAsync(id, new RenderOutput(BlobKeys.Output(render.Tenant, id), size, sha, render.AudioSeconds, frames), ct);
            if (await store.TransitionAsync(id, RenderState.Succeeded, null, ct))
                FarmTelemetry.RendersCompleted.Add(1, new KeyValuePair<string, object?>("state", "succeeded"));
            LogAssembled(logger, id, chunks.Count, frames, size, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            work.Delete(recursive: true);
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "render {RenderId} assembled: {Chunks} chunks, {Frames} frames, {Bytes} bytes in {Seconds:F1} s")]
    private static partial void LogAssembled(ILogger logger, string renderId, int chunks, int frames, long bytes, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "render {RenderId}: no encoded audio stored; encoding it now")]
    private static partial void LogAudioMissing(ILogger logger, string renderId);
}
