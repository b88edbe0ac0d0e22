using System.Collections.Concurrent;
using EmoFarm.Contracts;
using MassTransit;

namespace EmoFarm.Benchmarks;

/// <summary>
/// Every <see cref="RenderSegment"/> a worker consumed: which worker, when the orchestrator published it (SentTime),
/// when the worker's pipeline handed it to the consumer, and when the consumer returned. All hosts share one clock.
/// </summary>
internal sealed class FairShareTimings
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public sealed record Entry(string Worker, string RenderId, int Segment, DateTime Sent, DateTime Started, DateTime Finished);

    public IReadOnlyList<Entry> All => [.. _entries.OrderBy(e => e.Started)];

    public int Count => _entries.Count;

    public Observer For(string worker) => new(worker, _entries);

    /// <summary>One worker's observer (MassTransit registers observers by their concrete type).</summary>
    public sealed class Observer(string worker, ConcurrentQueue<Entry> entries) : IConsumeObserver
    {
        private readonly ConcurrentDictionary<Guid, DateTime> _started = new();

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class
        {
            if (context.Message is RenderSegment && context.MessageId is { } id)
                _started[id] = DateTime.UtcNow;
            return Task.CompletedTask;
        }

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            if (context.Message is RenderSegment m && context.MessageId is { } id && _started.TryRemove(id, out var started))
                entries.Enqueue(new Entry(worker, m.RenderId, m.SegmentIndex, context.SentTime ?? started, started, DateTime.UtcNow));
            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
