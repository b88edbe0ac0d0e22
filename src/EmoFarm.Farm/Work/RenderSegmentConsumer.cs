using System.Diagnostics;
using EmoFarm.Contracts;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Conditioning;
using EmoFarm.Farm.Faces;
using EmoFarm.Farm.Frames;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Messaging;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Telemetry;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Work;

/// <summary>
/// Renders one segment. The message is acknowledged only after every frame is stored and the result published, so a
/// worker killed at any point loses nothing: RabbitMQ redelivers, and the next attempt resumes after the last
/// stored clip. Attempts are counted in the state store, so even a segment that crashes its worker every time
/// fails its render after exactly <see cref="RenderSegment.MaxAttempts"/> tries instead of looping forever.
/// </summary>
public sealed partial class RenderSegmentConsumer(
    IClipRenderer renderer,
    SegmentQualityMeter quality,
    IRenderStore store,
    IBlobStore blobs,
    IOptions<WorkerOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<RenderSegmentConsumer> logger) : IConsumer<RenderSegment>
{
    public async Task Consume(ConsumeContext<RenderSegment> context)
    {
        var m = context.Message;
        var worker = options.Value.Name;
        using var activity = FarmTelemetry.Source.StartActivity("render segment", ActivityKind.Consumer);
        activity?.SetTag("emofarm.render_id", m.RenderId).SetTag("emofarm.segment", m.SegmentIndex).SetTag("emofarm.worker", worker);
        if (context.SentTime is { } sent)
            FarmTelemetry.QueueWait.Record((DateTime.UtcNow - sent).TotalSeconds);

        var render = await store.GetAsync(m.RenderId, context.CancellationToken);
        if (render is null || RenderStateMachine.IsTerminal(render.State))
            return;
        var maxAttempts = m.MaxAttempts > 0 ? m.MaxAttempts : RenderSegment.DefaultMaxAttempts;
        // An in-memory retry after a transient fault continues the attempt this process already counted: a crash
        // would have ended the retries with the process, so nothing that should count is left uncounted.
        var (segment, exhausted) = context.GetRetryAttempt() > 0
            ? new SegmentAttempt((await store.GetSegmentsAsync(m.RenderId, CancellationToken.None))[m.SegmentIndex], false)
            : await store.BeginSegmentAttemptAsync(m.RenderId, m.SegmentIndex, m.Take, worker, maxAttempts, CancellationToken.None);
        if (segment.Take != m.Take)
        {
            // A retake replaced this take (or a late duplicate of an old one arrived): nothing to do.
            LogStaleTake(logger, m.RenderId, m.SegmentIndex, m.Take, segment.Take);
            return;
        }
        if (segment.State == SegmentState.Done)
        {
            // Stored and announced before, but the acknowledgement was lost: announce again; it is idempotent.
            await context.Publish(new SegmentRendered(m.RenderId, m.SegmentIndex, m.FrameCount, worker, 0, Take: segment.Take));
            return;
        }
        if (exhausted)
        {
            // Every attempt began and none ended, not even in an exception: the worker died each time (killed, out
            // of memory, or a native crash in the model).
            await FailAsync(context, segment.Attempts, segment.Error ?? $"the worker stopped during each of its {segment.Attempts} attempts (killed or crashed)");
            return;
        }
        await store.TransitionAsync(m.RenderId, RenderState.Rendering, null, CancellationToken.None);

        var clock = Stopwatch.StartNew();
        try
        {
            var (portrait, audio) = await ReadInputsAsync(m);
            var finished = await RenderAsync(context, segment, worker, portrait, audio);
            FarmTelemetry.SegmentDuration.Record(clock.Elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", finished ? "done" : "stopped"));
            if (finished)
            {
                var measured = await quality.MeasureAsync(m, portrait, audio, CancellationToken.None);
                await context.Publish(new SegmentRendered(m.RenderId, m.SegmentIndex, m.FrameCount, worker, clock.Elapsed.TotalSeconds, measured, m.Take));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException && !TransientFaults.Is(e))
        {
            FarmTelemetry.SegmentFailures.Add(1, new KeyValuePair<string, object?>("reason", e.GetType().Name));
            LogAttemptFailed(logger, e, m.RenderId, m.SegmentIndex, segment.Attempts);
            if (segment.Attempts >= maxAttempts)
            {
                await FailAsync(context, segment.Attempts, $"{e.GetType().Name}: {e.Message}");
                return;
            }
            FarmTelemetry.SegmentRetries.Add(1);
            await context.Publish(m);
        }
    }

    private async Task<(RgbImage Portrait, float[] Audio)> ReadInputsAsync(RenderSegment m) =>
        (PngCodec.Decode(await blobs.GetBytesAsync(m.PortraitKey, CancellationToken.None)),
         AudioDecoder.FromBytes(await blobs.GetBytesAsync(m.AudioSliceKey, CancellationToken.None)));

    private async Task<bool> RenderAsync(ConsumeContext<RenderSegment> context, SegmentRecord segment, string worker, RgbImage portrait, float[] audio)
    {
        var m = context.Message;
        await using var session = await renderer.BeginAsync(
            new SegmentSetup(m.RenderId, portrait, audio, m.AudioLeadSamples, m.FrameCount, m.Seed, m.Settings)
            {
                Conditioning = SegmentInputs.Conditioning(m.Analysis, m.Settings),
            }, CancellationToken.None);

        var loop = new ClipLoop(new FrameStore(blobs), options.Value.UploadParallelism);
        var clipClock = Stopwatch.StartNew();
        return await loop.RunAsync(session, renderer.Info, m.FrameCount, segment.ClipsDone,
            i => BlobKeys.Frame(m.Tenant, m.RenderId, m.SegmentIndex, m.FirstFrame + i, m.Take),
            beforeClip: async () =>
            {
                clipClock.Restart();
                if ((await store.GetAsync(m.RenderId, CancellationToken.None))?.State is RenderState.Cancelled or RenderState.Failed)
                {
                    LogStoppedCancelled(logger, m.RenderId, m.SegmentIndex);
                    return false;
                }
                if (!lifetime.ApplicationStopping.IsCancellationRequested)
                    return true;
                // Shutting down: the finished clips are stored; hand the rest back for another worker.
                LogHandedBack(logger, m.RenderId, m.SegmentIndex);
                await context.Publish(m);
                return false;
            },
            afterClip: async (clipsDone, framesDone, output) =>
            {
                if (!output.Latents.IsEmpty)
                    await blobs.PutBytesAsync(BlobKeys.SegmentLatents(m.Tenant, m.RenderId, m.SegmentIndex, clipsDone - 1, m.Take), output.Latents, "application/octet-stream", CancellationToken.None);
                await store.RecordClipAsync(m.RenderId, m.SegmentIndex, clipsDone, framesDone, CancellationToken.None);
                FarmTelemetry.ClipDuration.Record(clipClock.Elapsed.TotalSeconds);
                FarmTelemetry.FramesRendered.Add(output.Frames.Count, new KeyValuePair<string, object?>("worker", worker));
            },
            initialMotion: [],
            CancellationToken.None,
            previousLatents: async () =>
            {
                var key = BlobKeys.SegmentLatents(m.Tenant, m.RenderId, m.SegmentIndex, segment.ClipsDone - 1, m.Take);
                return await blobs.StatAsync(key, CancellationToken.None) is null ? ReadOnlyMemory<byte>.Empty : await blobs.GetBytesAsync(key, CancellationToken.None);
            });
    }

    private async Task FailAsync(ConsumeContext<RenderSegment> context, int attempts, string reason)
    {
        var m = context.Message;
        await store.FailSegmentAsync(m.RenderId, m.SegmentIndex, reason, CancellationToken.None);
        await context.Publish(new SegmentFailed(m.RenderId, m.SegmentIndex, attempts, reason));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "render {RenderId} segment {Segment}: attempt {Attempt} failed")]
    private static partial void LogAttemptFailed(ILogger logger, Exception e, string renderId, int segment, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "render {RenderId} segment {Segment}: stopped, the render was cancelled")]
    private static partial void LogStoppedCancelled(ILogger logger, string renderId, int segment);

    [LoggerMessage(Level = LogLevel.Information, Message = "render {RenderId} segment {Segment}: dropped take {Take}, the segment is on take {Current}")]
    private static partial void LogStaleTake(ILogger logger, string renderId, int segment, int take, int current);

    [LoggerMessage(Level = LogLevel.Information, Message = "render {RenderId} segment {Segment}: handed back on shutdown")]
    private static partial void LogHandedBack(ILogger logger, string renderId, int segment);
}
