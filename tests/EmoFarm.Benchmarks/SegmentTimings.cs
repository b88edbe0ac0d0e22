using System.Collections.Concurrent;
using EmoFarm.Contracts;
using MassTransit;

namespace EmoFarm.Benchmarks;

/// <summary>
/// Times every <see cref="RenderSegment"/> delivery on the workers' buses. MassTransit stamps SentTime when the
/// orchestrator publishes; PreConsume runs as the worker's pipeline hands the message to the consumer and
/// PostConsume once the consumer has returned (frames stored, SegmentRendered published), immediately before the
/// transport acknowledges the delivery. Every host lives in this process, so all three share one clock.
/// </summary>
internal sealed class SegmentTimings(int expected) : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, DateTime> _started = new();
    private readonly ConcurrentDictionary<(string, int), bool> _done = new();
    private readonly ConcurrentBag<Sample> _samples = [];
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _faults;

    /// <param name="QueueWait">Published until the consumer started.</param>
    /// <param name="Service">Consumer start until it returned.</param>
    /// <param name="Total">Published until the consumer returned: publish to acknowledgement.</param>
    public sealed record Sample(TimeSpan QueueWait, TimeSpan Service, TimeSpan Total, DateTime Finished);

    /// <summary>Completes when every expected segment has been consumed successfully at least once.</summary>
    public Task AllDone => _all.Task;

    public IReadOnlyCollection<Sample> Samples => _samples;

    public int Faults => _faults;

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is RenderSegment && context.MessageId is { } id)
            _started[id] = DateTime.UtcNow;
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        var now = DateTime.UtcNow;
        if (context.Message is not RenderSegment m || context.MessageId is not { } id || context.SentTime is not { } sent
            || !_started.TryRemove(id, out var started))
        {
            return Task.CompletedTask;
        }

        _samples.Add(new Sample(started - sent, now - started, now - sent, now));
        if (_done.TryAdd((m.RenderId, m.SegmentIndex), true) && _done.Count == expected)
            _all.TrySetResult();
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        if (context.Message is RenderSegment)
            Interlocked.Increment(ref _faults);
        return Task.CompletedTask;
    }
}
