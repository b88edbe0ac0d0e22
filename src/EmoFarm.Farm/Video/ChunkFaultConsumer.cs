using EmoFarm.Contracts;
using EmoFarm.Farm.Scheduling;
using MassTransit;

namespace EmoFarm.Farm.Video;

/// <summary>
/// A chunk encode that failed on every retry (<see cref="Work.EncodeChunkConsumerDefinition"/>) fails its render
/// with the worker's error as the cause, instead of leaving it waiting for a chunk that will never come.
/// </summary>
public sealed class ChunkFaultConsumer(RenderFailures failures) : IConsumer<Fault<EncodeChunk>>
{
    public Task Consume(ConsumeContext<Fault<EncodeChunk>> context)
    {
        var m = context.Message;
        var error = m.Exceptions.FirstOrDefault();
        return failures.FailAsync(m.Message.RenderId,
            $"encoding chunk {m.Message.ChunkIndex} failed on every attempt: {error?.ExceptionType ?? "unknown"}: {error?.Message}");
    }
}
