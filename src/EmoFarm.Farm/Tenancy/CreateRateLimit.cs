using System.Globalization;
using System.Threading.RateLimiting;
using EmoFarm.Farm.Api;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace EmoFarm.Farm.Tenancy;

/// <summary>
/// Creates per minute, per tenant: a token bucket that holds a minute's worth, so a tenant may burst up to its rate
/// and then creates at it. ASP.NET Core's limiter answers in HTTP, so a refusal is written here as a gRPC
/// trailers-only response: RESOURCE_EXHAUSTED with QuotaFailure and RetryInfo, exactly what the RPC itself sends.
/// </summary>
public static class CreateRateLimit
{
    public const string Policy = "create";

    public static IServiceCollection AddCreateRateLimit(this IServiceCollection services) => services.AddRateLimiter(o =>
    {
        o.AddPolicy(Policy, context =>
        {
            var tenant = context.User.FindFirst(CallerClaims.Tenant)?.Value ?? TenantName.Local;
            var rate = context.RequestServices.GetRequiredService<TenantQuotas>().CreatesPerMinute(tenant);
            if (rate is not { } perMinute)
                return RateLimitPartition.GetNoLimiter(tenant);
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
            var tenant = rejected.HttpContext.User.FindFirst(CallerClaims.Tenant)?.Value ?? TenantName.Local;
            var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
            var rate = rejected.HttpContext.RequestServices.GetRequiredService<TenantQuotas>().CreatesPerMinute(tenant);
            var status = RpcErrors.QuotaExceeded($"tenant:{tenant}", nameof(TenantQuota.CreatesPerMinute),
                string.Create(CultureInfo.InvariantCulture, $"tenant {tenant} is over its limit of Quotas:{nameof(TenantQuota.CreatesPerMinute)} ({rate}); try again in {wait.TotalSeconds:F1} s"), wait);
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
}
