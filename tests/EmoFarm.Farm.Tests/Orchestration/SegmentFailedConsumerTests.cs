using System.Reflection;
using EmoFarm.Contracts;
using EmoFarm.Farm.Messaging;
using EmoFarm.Farm.Orchestration;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Tests.State;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Xunit;

namespace EmoFarm.Farm.Tests.Orchestration;

public sealed class SegmentFailedConsumerTests
{
    private const int RetryLimit = 2;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Consume_StoreDownThroughEveryRetry_LastAttemptStillFailsTheRenderInsteadOfFaulting()
    {
        var store = new InMemoryRenderStore();
        var render = RenderStoreContract.NewRender();
        await store.CreateAsync(render, SegmentPlanner.Plan(render.FrameTotal, 10, 2), ActiveRenderLimits.None, Ct);
        // The first attempt and every retry find the store down; it is back for the guard's final write.
        var flaky = FlakyTransitions.Wrap(store, failures: RetryLimit + 1);
        await using var provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(flaky)
            .AddSingleton<RenderFailures>()
            // A failed render leaves the scheduler's window, so the failure path needs the scheduler too.
            .AddSingleton(TimeProvider.System)
            .Configure<SchedulingOptions>(_ => { })
            .AddSingleton<IWorkWindow, InMemoryWorkWindow>()
            .AddSingleton<CommandPublisher>()
            .AddSingleton<FairScheduler>()
            .Configure<RetryOptions>(o => (o.Limit, o.FirstInterval, o.MaxInterval) = (RetryLimit, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)))
            .Configure<OrchestratorOptions>(_ => { })
            .AddMassTransitTestHarness(x => x.AddConsumer<SegmentFailedConsumer, SegmentFailedConsumerDefinition>())
            // The scheduler publishes through the bus itself, a singleton here as in the orchestrator.
            .BuildServiceProvider(validateScopes: false);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        await harness.Bus.Publish(new SegmentFailed(render.Id, 1, 3, "the worker stopped during each of its 3 attempts"), Ct);

        // Idle: every attempt has run. Without the guard the message ends in the error queue and the render stays queued.
        await harness.InactivityTask.WaitAsync(Ct);
        var failed = await store.GetAsync(render.Id, Ct);
        Assert.Equal(RenderState.Failed, failed!.State);
        Assert.Equal($"recording segment 1's failure (the worker stopped during each of its 3 attempts) failed after {RetryLimit + 1} attempts: "
            + "RedisException: the store is down", failed.Error);
    }

    /// <summary>
    /// The in-memory store, whose first <c>failures</c> transitions throw as Redis does when it is unreachable.
    /// A proxy, because only one of the store's many methods changes.
    /// </summary>
#pragma warning disable CA1852 // DispatchProxy.Create derives from this class, so it cannot be sealed.
    private class FlakyTransitions : DispatchProxy
#pragma warning restore CA1852
    {
        private IRenderStore _inner = null!;
        private int _failures;

        public static IRenderStore Wrap(IRenderStore inner, int failures)
        {
            var store = Create<IRenderStore, FlakyTransitions>();
            var proxy = (FlakyTransitions)(object)store;
            (proxy._inner, proxy._failures) = (inner, failures);
            return store;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IRenderStore.TransitionAsync) && Interlocked.Decrement(ref _failures) >= 0)
                return Task.FromException<bool>(new RedisException("the store is down"));
            return targetMethod.Invoke(_inner, args);
        }
    }
}
