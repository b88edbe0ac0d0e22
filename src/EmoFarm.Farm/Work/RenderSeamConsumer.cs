using EmoFarm.Contracts;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Conditioning;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Telemetry;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Work;

/// <summary>Renders a seam's overlap as a continuation of the left segment's motion frames.</summary>
public sealed class RenderSeamConsumer(IClipRenderer renderer, IRenderStore store, IBlobStore blobs, IOptions<WorkerOptions> options)
    : IConsumer<RenderSeam>
{
    public async Task Consume(ConsumeContext<RenderSeam> context)
    {
        var m = context.Message;
        using var activity = FarmTelemetry.Source.StartActivity("render seam");
        activity?.SetTag("emofarm.render_id", m.RenderId).SetTag("emofarm.seam", m.SeamIndex);
        var render = await store.GetAsync(m.RenderId, CancellationToken.None);
        if (render is null || RenderStateMachine.IsTerminal(render.State))
            return;

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
            i => BlobKeys.SeamContinuationFrame(m.RenderId, m.SeamIndex, m.FirstFrame + i),
            beforeClip: () => Task.FromResult(true),
            afterClip: (_, _, _) => Task.CompletedTask,
            initialMotion: motion,
            CancellationToken.None);
        await context.Publish(new SeamRendered(m.RenderId, m.SeamIndex, options.Value.Name));
    }
}
