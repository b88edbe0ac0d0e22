using System.Collections.Concurrent;
using System.Diagnostics;
using EmoFarm.Farm.Telemetry;
using Microsoft.Extensions.Logging;

namespace EmoFarm.Farm.Tenancy;

/// <summary>
/// Who did what to which render or key: one structured log line per action, the same facts as attributes on the
/// current span, and a counter labelled by action and tenant. Tenant names come from tokens as well as from the
/// store, so the label is bounded: the first <see cref="MaxTenantLabels"/> tenants seen get their own, the rest
/// share "other" (the log line always names the tenant).
/// </summary>
public static partial class Audit
{
    public const int MaxTenantLabels = 200;
    private static readonly ConcurrentDictionary<string, byte> Labelled = new();

    public static void Record(ILogger logger, Caller caller, string action, string tenant, string target)
    {
        LogAction(logger, action, target, tenant, caller.Tenant, caller.Subject, caller.IsAdmin);
        Activity.Current?.SetTag("emofarm.audit.action", action).SetTag("emofarm.tenant", tenant)
            .SetTag("emofarm.caller.tenant", caller.Tenant).SetTag("enduser.id", caller.Subject);
        FarmTelemetry.AuditedActions.Add(1, new KeyValuePair<string, object?>("action", action), new KeyValuePair<string, object?>("tenant", Label(tenant)));
    }

    private static string Label(string tenant) =>
        Labelled.ContainsKey(tenant) || (Labelled.Count < MaxTenantLabels && Labelled.TryAdd(tenant, 0)) ? tenant : "other";

    [LoggerMessage(Level = LogLevel.Information, EventName = "Audit",
        Message = "audit: {Action} {Target} of tenant {Tenant} by {CallerTenant}/{Subject} (admin: {Admin})")]
    private static partial void LogAction(ILogger logger, string action, string target, string tenant, string callerTenant, string subject, bool admin);
}
