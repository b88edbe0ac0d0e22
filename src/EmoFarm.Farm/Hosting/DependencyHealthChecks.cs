using EmoFarm.Farm.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace EmoFarm.Farm.Hosting;

/// <summary>
/// Readiness of the services every render step needs besides the bus: a pod that cannot reach Redis or the bucket
/// would take work and fail it, so it reports not ready and the load balancer (and kubectl) see why.
/// </summary>
public static class DependencyHealthChecks
{
    public const string ReadyTag = "ready";

    public const string LiveTag = "live";

    internal sealed class Redis(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var latency = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:F1} ms");
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"Redis does not answer: {e.Message}", e);
            }
        }
    }

    internal sealed class Bucket(IBlobStore blobs) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                // A HEAD of a key that never exists: it proves the endpoint, the credentials and the bucket, and writes nothing.
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await blobs.StatAsync("health/probe", timeout.Token);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy($"the bucket is not reachable: {e.Message}", e);
            }
        }
    }
}
