using System.Globalization;
using System.Threading.RateLimiting;
using EmoFarm.Farm.Api;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmoFarm.Farm.Api;

/// <summary>
/// Creates per minute, per tenant: a token bucket that holds a minute's worth, so a tenant may burst up to its rate
/// and then creates at it. ASP.NET Core's limiter answers in HTTP, so a refusal is written here as a gRPC
/// trailers-only response: RESOURCE_EXHAUSTED with QuotaFailure and RetryInfo, exactly what the RPC itself sends.
/// </summary>
public static partial class CreateRateLimit
{
    public const string Policy = "create";

    // The limiter picks a partition synchronously, so the tenant's rate, which may come from its stored record, is
    // read before it by ResolveRate and handed over in the request's items.
    private static readonly object RateKey = new();

    public static IServiceCollection AddCreateRateLimit(this IServiceCollection services) => services.AddRateLimiter(o =>
    {
        o.AddPolicy(Policy, context =>
        {
            var tenant = TenantOf(context);
            if (context.Items[RateKey] is not int perMinute)
                return RateLimitPartition.GetNoLimiter(tenant);
            // The rate is part of the partition, so a tenant whose rate changes starts a bucket at its new rate.
            return RateLimitPartition.GetTokenBucketLimiter($"{tenant}:{perMinute}", _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = perMinute,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        o.OnRejected = async (rejected, ct) =>
        {
            var tenant = TenantOf(rejected.HttpContext);
            var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
            var status = RpcErrors.QuotaExceeded($"tenant:{tenant}", nameof(TenantQuota.CreatesPerMinute),
                string.Create(CultureInfo.InvariantCulture, $"tenant {tenant} is over its limit of Quotas:{nameof(TenantQuota.CreatesPerMinute)} ({rejected.HttpContext.Items[RateKey]}); try again in {wait.TotalSeconds:F1} s"), wait);
            var response = rejected.HttpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = ((int)status.StatusCode).ToString(CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = Uri.EscapeDataString(status.Status.Detail);
            if (status.Trailers.GetValueBytes("grpc-status-details-bin") is { } details)
                response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(details).TrimEnd('=');
            await response.CompleteAsync();
        };
    });

    /// <summary>After authentication: reads each create's rate, then limits it.</summary>
    public static WebApplication UseCreateRateLimit(this WebApplication app)
    {
        app.Use(ResolveRate);
        app.UseRateLimiter();
        return app;
    }

    private static async Task ResolveRate(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == Policy)
        {
            var quotas = context.RequestServices.GetRequiredService<TenantQuotas>();
            var tenant = TenantOf(context);
            TenantQuota quota;
            try
            {
                quota = await quotas.ForAsync(tenant, context.RequestAborted);
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
            {
                // The create itself will meet the store's outage and answer for it; the limiter keeps the configured rate.
                LogStoreUnreadable(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CreateRateLimit)), tenant, e);
                quota = quotas.Configured(tenant);
            }
            context.Items[RateKey] = quota.CreatesPerMinute;
        }
        await next(context);
    }

    private static string TenantOf(HttpContext context) => context.User.FindFirst(CallerClaims.Tenant)?.Value ?? TenantName.Local;

    [LoggerMessage(Level = LogLevel.Warning, Message = "tenant {Tenant}'s stored quota could not be read; its configured rate applies")]
    private static partial void LogStoreUnreadable(ILogger logger, string tenant, Exception error);
}
