using EmoFarm.Contracts;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Conditioning;
using EmoFarm.Farm.Frames;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Messaging;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Telemetry;
using EmoFarm.Farm.Work;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Seams;

/// <summary>
/// Renders a seam's overlap as a continuation of the left segment's motion frames. Attempts are counted in the state
/// store, as a segment's are, so a seam that throws or crashes its worker every time ends in
/// <see cref="SeamFailed"/> (and a crossfade) after <see cref="RenderSeam.MaxAttempts"/> tries.
/// </summary>
public sealed partial class RenderSeamConsumer(IClipRenderer renderer, IRenderStore store, IBlobStore blobs, IOptions<WorkerOptions> options,
    ILogger<RenderSeamConsumer> logger)
    : IConsumer<RenderSeam>
{
    public async Task Consume(ConsumeContext<RenderSeam> context)
    {
        var m = context.Message;
        using var activity = FarmTelemetry.Source.StartActivity("render seam");
        activity?.SetTag("emofarm.render_id", m.RenderId).SetTag("emofarm.seam", m.SeamIndex);
        var render = await store.GetAsync(m.RenderId, CancellationToken.None);
        if (render is null || RenderStateMachine.IsTerminal(render.State) || (await store.GetDoneSeamsAsync(m.RenderId, CancellationToken.None)).Contains(m.SeamIndex))
            return;
        var maxAttempts = m.MaxAttempts > 0 ? m.MaxAttempts : RenderSegment.DefaultMaxAttempts;
        // As for segments: an in-memory retry after a transient fault continues the attempt already counted. Its
        // number is not kept, so it counts as the first; the store bounds the attempts whatever this one republishes.
        var attempt = context.GetRetryAttempt() > 0
            ? 1
            : await store.BeginSeamAttemptAsync(m.RenderId, m.SeamIndex, maxAttempts, CancellationToken.None);
        if (attempt == 0)
        {
            await context.Publish(new SeamFailed(m.RenderId, m.SeamIndex, maxAttempts, $"the worker stopped during each of its {maxAttempts} attempts (killed or crashed)"));
            return;
        }
        try
        {
            await RenderAsync(m);
            await context.Publish(new SeamRendered(m.RenderId, m.SeamIndex, options.Value.Name));
        }
        catch (Exception e) when (e is not OperationCanceledException && !TransientFaults.Is(e))
        {
            FarmTelemetry.SeamFailures.Add(1, new KeyValuePair<string, object?>("reason", e.GetType().Name));
            LogAttemptFailed(logger, e, m.RenderId, m.SeamIndex, attempt);
            // Republished rather than retried in place: the next attempt may land on a healthier worker.
            if (attempt < maxAttempts)
                await context.Publish(m);
            else
                await context.Publish(new SeamFailed(m.RenderId, m.SeamIndex, attempt, $"{e.GetType().Name}: {e.Message}"));
        }
    }

    private async Task RenderAsync(RenderSeam m)
    {
        var frames = new FrameStore(blobs);
        var motion = await frames.GetManyAsync(m.MotionFrameKeys, CancellationToken.None);
        var portrait = PngCodec.Decode(await blobs.GetBytesAsync(m.PortraitKey, CancellationToken.None));
        var audio = AudioDecoder.FromBytes(await blobs.GetBytesAsync(m.AudioSliceKey, CancellationToken.None));
        await using var session = await renderer.BeginAsync(
            new SegmentSetup(m.RenderId, portrait, audio, m.AudioLeadSamples, m.FrameCount, m.Seed, m.Settings)
            {
                Conditioning = SegmentInputs.Conditioning(m.Analysis, m.Settings),
            }, CancellationToken.None);
        await new ClipLoop(frames, options.Value.UploadParallelism).RunAsync(session, renderer.Info, m.FrameCount, 0,
            i => BlobKeys.SeamContinuationFrame(m.Tenant, m.RenderId, m.SeamIndex, m.FirstFrame + i),
            beforeClip: () => Task.FromResult(true),
            afterClip: (_, _, _) => Task.CompletedTask,
            initialMotion: motion,
            CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "render {RenderId} seam {Seam}: attempt {Attempt} failed")]
    private static partial void LogAttemptFailed(ILogger logger, Exception e, string renderId, int seam, int attempt);
}
