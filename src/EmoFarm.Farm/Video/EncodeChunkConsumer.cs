using System.Diagnostics;
using EmoFarm.Contracts;
using EmoFarm.Farm.Frames;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Telemetry;
using EmoFarm.Farm.Work;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Video;

/// <summary>
/// Encodes one chunk of a render's video from its final frames and stores it under its one key, then tells the
/// orchestrator. The encode is deterministic (<see cref="VideoEncoder.X264Arguments"/>) and the put atomic, so a
/// redelivered or repeated command writes the same object again and nobody ever reads half a chunk.
/// </summary>
public sealed partial class EncodeChunkConsumer(IRenderStore store, IBlobStore blobs, IOptions<WorkerOptions> options, ILogger<EncodeChunkConsumer> logger)
    : IConsumer<EncodeChunk>
{
    /// <summary>Frames downloaded and decoded ahead of the encoder.</summary>
    private const int Prefetch = 16;

    public async Task Consume(ConsumeContext<EncodeChunk> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        if (m.FrameKeys.Count != m.FrameCount)
            throw new ArgumentException($"EncodeChunk.FrameKeys: {m.FrameKeys.Count} keys for FrameCount {m.FrameCount}", nameof(context));
        var render = await store.GetAsync(m.RenderId, ct);
        if (render is null || RenderStateMachine.IsTerminal(render.State))
            return;
        using var activity = FarmTelemetry.Source.StartActivity("encode chunk");
        activity?.SetTag("emofarm.render_id", m.RenderId).SetTag("emofarm.chunk", m.ChunkIndex);
        var clock = Stopwatch.StartNew();
        var work = Directory.CreateTempSubdirectory("emofarm-chunk-");
        try
        {
            var path = Path.Combine(work.FullName, "chunk.ts");
            await VideoEncoder.EncodeChunkAsync(new FrameStore(blobs).Prefetch(m.FrameKeys, Prefetch, ct), m.Width, m.Height, m.Fps, m.FirstFrame, path, ct);
            var size = new FileInfo(path).Length;
            await blobs.UploadFileAsync(BlobKeys.Chunk(m.Tenant, m.RenderId, m.ChunkIndex), path, "video/mp2t", ct);
            await context.Publish(new ChunkEncoded(m.RenderId, m.ChunkIndex, size, options.Value.Name, clock.Elapsed.TotalSeconds), ct);
            LogEncoded(logger, m.RenderId, m.ChunkIndex, m.FrameCount, size, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "render {RenderId} chunk {Chunk} encoded: {Frames} frames, {Bytes} bytes in {Seconds:F2} s")]
    private static partial void LogEncoded(ILogger logger, string renderId, int chunk, int frames, long bytes, double seconds);
}
