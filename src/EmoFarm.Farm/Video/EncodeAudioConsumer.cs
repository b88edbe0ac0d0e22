using EmoFarm.Contracts;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using MassTransit;

namespace EmoFarm.Farm.Video;

/// <summary>
/// Encodes the render's original audio to AAC while its frames render, so the final assembly only copies it. The
/// key is fixed and the put atomic, so a repeat is harmless; the assembly encodes it itself if it is still missing.
/// </summary>
public sealed class EncodeAudioConsumer(IRenderStore store, IBlobStore blobs) : IConsumer<EncodeAudio>
{
    public async Task Consume(ConsumeContext<EncodeAudio> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var render = await store.GetAsync(m.RenderId, ct);
        if (render is null || RenderStateMachine.IsTerminal(render.State))
            return;
        var work = Directory.CreateTempSubdirectory("emofarm-audio-");
        try
        {
            await AudioEncoder.EncodeStoredAsync(blobs, m.AudioKey, BlobKeys.OutputAudio(m.Tenant, m.RenderId), Path.Combine(work.FullName, "audio.m4a"), ct);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
