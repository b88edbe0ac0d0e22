using System.Collections.Concurrent;
using EmoFarm.Contracts;
using MassTransit;

namespace EmoFarm.Benchmarks;

/// <summary>
/// When the workers finished each segment (frames stored, SegmentRendered published) and each chunk (chunk stored,
/// ChunkEncoded published), and when the orchestrator asked for each chunk (MassTransit's SentTime). The workers
/// run in this process and the orchestrator on this machine, so every time is on one clock.
/// </summary>
internal sealed class TailTimings : IConsumeObserver
{
    private readonly ConcurrentDictionary<int, DateTime> _segments = new();
    private readonly ConcurrentDictionary<int, (DateTime Requested, DateTime Stored)> _chunks = new();
    private int _faults;

    public IReadOnlyDictionary<int, DateTime> Segments => _segments;

    public IReadOnlyDictionary<int, (DateTime Requested, DateTime Stored)> Chunks => _chunks;

    public int Faults => _faults;

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        var now = DateTime.UtcNow;
        // The last delivery counts: a repeat is work the tail waited for.
        if (context.Message is RenderSegment segment)
            _segments[segment.SegmentIndex] = now;
        else if (context.Message is EncodeChunk chunk)
            _chunks[chunk.ChunkIndex] = (context.SentTime ?? now, now);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        Interlocked.Increment(ref _faults);
        return Task.CompletedTask;
    }
}
