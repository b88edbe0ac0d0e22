using EmoFarm.Contracts;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.State;
using MassTransit;

namespace EmoFarm.Farm.Video;

/// <summary>Records a stored chunk; the last one asks for the assembly. The preview follows, once the render has moved on.</summary>
public sealed class ChunkEncodedConsumer(IRenderStore store, RenderCompletion completion, PreviewWriter preview, RenderFailures failures) : IConsumer<ChunkEncoded>
{
    public async Task Consume(ConsumeContext<ChunkEncoded> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        try
        {
            // A repeat (-1) still checks for the end: the first delivery may have died between the two steps.
            await store.CompleteChunkAsync(m.RenderId, m.ChunkIndex, ct);
            await completion.AdvanceAsync(m.RenderId, [], ct);
            await preview.OnChunkStoredAsync(m.RenderId, m.ChunkIndex, ct);
        }
        catch (Exception e) when (failures.IsLastAttempt(context, ChunkEncodedConsumerDefinition.Queue))
        {
            await failures.GiveUpAsync(m.RenderId, $"recording chunk {m.ChunkIndex}", e);
        }
    }
}
