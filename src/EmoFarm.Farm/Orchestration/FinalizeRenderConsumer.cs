using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading.Channels;
using EmoFarm.Contracts;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Faces;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Telemetry;
using EmoFarm.Farm.Work;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace EmoFarm.Farm.Orchestration;

/// <summary>
/// Stitches every frame and the original audio into the MP4 and uploads it. Runs again from the start if the
/// orchestrator dies half-way (the message is redelivered and the render is still "encoding"); the output key is
/// written in one atomic put, so nobody ever sees half a video. An encode that throws is retried
/// (<see cref="FinalizeRenderConsumerDefinition"/>); after the last retry the render fails with the error as its cause.
/// </summary>
public sealed partial class FinalizeRenderConsumer(
    IRenderStore store, IBlobStore blobs, SeamQualityMeter seamQuality, RenderFailures failures, ILogger<FinalizeRenderConsumer> logger)
    : IConsumer<FinalizeRender>
{
    public async Task Consume(ConsumeContext<FinalizeRender> context)
    {
        try
        {
            await EncodeAsync(context);
        }
        catch (Exception e) when (failures.IsLastAttempt(context, FinalizeRenderConsumerDefinition.Queue))
        {
            await failures.GiveUpAsync(context.Message.RenderId, "encoding", e);
        }
    }

    private async Task EncodeAsync(ConsumeContext<FinalizeRender> context)
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
        var keys = FrameSources.Keys(render.Tenant, id, segments, reconciled: true);
        // The seams not measured as they completed are measured now, so a render is never reported finished with
        // its seams unchecked.
        await seamQuality.MeasureAsync(render, segments, await store.GetDoneSeamsAsync(id, ct), completed: null, ct);
        var work = Directory.CreateTempSubdirectory("emofarm-encode-");
        try
        {
            var audioPath = Path.Combine(work.FullName, "audio");
            var videoPath = Path.Combine(work.FullName, "render.mp4");
            await blobs.DownloadToFileAsync(render.AudioKey, audioPath, ct);
            await VideoEncoder.EncodeAsync(Prefetch(keys, ct), render.Spec.Model.Width, render.Spec.Model.Height, render.Spec.Model.Fps,
                audioPath, render.AudioSeconds, videoPath, ct);

            string sha;
            await using (var file = File.OpenRead(videoPath))
                sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
            var size = new FileInfo(videoPath).Length;
            using (FarmTelemetry.Source.StartActivity("upload output")?.SetTag("emofarm.bytes", size))
                await blobs.UploadFileAsync(BlobKeys.Output(render.Tenant, id), videoPath, "video/mp4", ct);
            await store.SetOutputAsync(id, new RenderOutput(BlobKeys.Output(render.Tenant, id), size, sha, render.AudioSeconds, keys.Count), ct);
            if (await store.TransitionAsync(id, RenderState.Succeeded, null, ct))
                FarmTelemetry.RendersCompleted.Add(1, new KeyValuePair<string, object?>("state", "succeeded"));
            LogEncoded(logger, id, keys.Count, size, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Frames in order, downloaded and decoded ahead of the encoder by a small bounded pipeline.</summary>
    private IEnumerable<RgbImage> Prefetch(IReadOnlyList<string> keys, CancellationToken ct)
    {
        var frames = new FrameStore(blobs);
        var channel = Channel.CreateBounded<Task<RgbImage>>(16);
        _ = Task.Run(async () =>
        {
            try
            {
                foreach (var key in keys)
                    await channel.Writer.WriteAsync(frames.GetAsync(key, ct), ct);
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, ct);
        while (channel.Reader.WaitToReadAsync(ct).AsTask().GetAwaiter().GetResult())
        {
            while (channel.Reader.TryRead(out var frame))
                yield return frame.GetAwaiter().GetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "render {RenderId} encoded: {Frames} frames, {Bytes} bytes in {Seconds:F1} s")]
    private static partial void LogEncoded(ILogger logger, string renderId, int frames, long bytes, double seconds);
}
