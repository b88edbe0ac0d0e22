using MassTransit;

namespace EmoFarm.Farm.Messaging;

/// <summary>
/// What every orchestrator consumer shares: several messages at once (each is a short bookkeeping step, and
/// different renders do not contend); exponential retries in memory for a dependency that is briefly down; a timeout
/// per attempt. On its last retry a consumer fails the render with the error as its cause
/// (<see cref="RenderFailures.IsLastAttempt"/>) instead of letting the message fall into an error queue where nobody
/// would look, which would leave the render waiting forever.
/// </summary>
public abstract class OrchestratorConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly RetryOptions _retry;
    private readonly TimeSpan _timeout;

    protected OrchestratorConsumerDefinition(RetryOptions retry, string queue, TimeSpan timeout, int concurrency = 8)
    {
        _retry = retry;
        _timeout = timeout;
        EndpointName = queue;
        ConcurrentMessageLimit = concurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = ConcurrentMessageLimit ?? 1;
        endpointConfigurator.UseMessageRetry(r => _retry.Configure(r, transientOnly: false));
        consumerConfigurator.UseTimeout(t => t.Timeout = _timeout);
    }
}
