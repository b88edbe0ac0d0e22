using EmoFarm.Farm.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Api;

/// <summary>Puts an API behind authentication, unless the farm is configured open, which it then says loudly.</summary>
public static partial class ApiEndpoints
{
    public static TBuilder RequireCallers<TBuilder>(this TBuilder endpoints, IApplicationBuilder app, string? policy = null)
        where TBuilder : IEndpointConventionBuilder
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (options.Open)
        {
            LogOpen(app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiEndpoints)));
            return endpoints;
        }
        return policy is null ? endpoints.RequireAuthorization() : endpoints.RequireAuthorization(policy);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Auth:Open is set: the API asks for no credentials, and anyone who reaches it acts as the administrator of tenant 'local'")]
    private static partial void LogOpen(ILogger logger);
}
