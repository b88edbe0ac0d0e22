using System.Collections.Concurrent;
using EmoFarm.Contracts;
using MassTransit;

namespace EmoFarm.Farm.Tests.Scheduling;

/// <summary>
/// When each worker started and finished each segment command, as its own bus pipeline saw it: measured in the
/// workers, not by the scheduler under test. PreConsume is the moment the worker took the command off the queue;
/// PostConsume the moment its consumer returned (frames stored, SegmentRendered published). Every worker lives in
/// the test process, so all share one clock.
/// </summary>
internal sealed class ConsumeLog
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    /// <param name="Sent">When the orchestrator published the command (MassTransit's SentTime).</param>
    public sealed record Entry(string Worker, string RenderId, int Segment, DateTime Sent, DateTime Started, DateTime Finished);

    /// <summary>Every entry so far, by start.</summary>
    public IReadOnlyList<Entry> All => [.. _entries.OrderBy(e => e.Started)];

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
                entries.Enqueue(new Entry(worker, m.RenderId, m.SegmentIndex, context.SentTime ?? DateTime.MinValue, started, DateTime.UtcNow));
            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
