using EmoFarm.Farm.Tests.Services;
using EmoFarm.Testing;
using Xunit;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>
/// One farm for <see cref="FarmRenderTests"/>: an orchestrator and two workers, started once for the class instead
/// of once a test. The tests run one after another and each waits for its render to end (done or cancelled), so
/// they share the farm as users share a deployment; the one that restarts the orchestrator leaves a new one running.
/// </summary>
public sealed class RenderFarm(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3) : IAsyncLifetime
{
    private FarmHarness? _farm;

    internal FarmHarness Farm => _farm ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>The worker processes, in start order: worker-a and worker-b.</summary>
    internal IReadOnlyList<ChildProcess> Workers { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        _farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        await _farm.StartOrchestratorAsync();
        Workers = [await _farm.StartWorkerAsync("worker-a"), await _farm.StartWorkerAsync("worker-b")];
    }

    public async ValueTask DisposeAsync()
    {
        if (_farm is not null)
            await _farm.DisposeAsync();
    }
}
