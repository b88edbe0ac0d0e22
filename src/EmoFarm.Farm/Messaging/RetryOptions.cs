using System.ComponentModel.DataAnnotations;
using MassTransit;

namespace EmoFarm.Farm.Messaging;

/// <summary>
/// In-memory retries of a message whose handling threw, spaced exponentially from <see cref="FirstInterval"/> to
/// <see cref="MaxInterval"/>: the defaults ride out about five minutes of Redis, the bucket or the broker being down.
/// The orchestrator retries any error of its steps and then fails the render with it as the cause; a worker retries
/// only <see cref="TransientFaults"/>, because a failed render attempt is counted and republished instead.
/// </summary>
public sealed class RetryOptions
{
    public const string Section = "Retry";

    [Range(0, 50)] public int Limit { get; set; } = 8;

    public TimeSpan FirstInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(60);

    public void Configure(IRetryConfigurator retry, bool transientOnly)
    {
        if (transientOnly)
            retry.Handle<Exception>(TransientFaults.Is);
        retry.Exponential(Limit, FirstInterval, MaxInterval, FirstInterval);
    }
}
