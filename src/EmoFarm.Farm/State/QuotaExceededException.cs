namespace EmoFarm.Farm.State;

/// <summary>A tenant's quota refused a request; nothing was stored. The API answers RESOURCE_EXHAUSTED with a QuotaFailure.</summary>
/// <param name="Subject">What the quota is counted on, as QuotaFailure's subject: <c>tenant:NAME</c>.</param>
/// <param name="Quota">The quota's configuration name, e.g. <c>MaxActiveRenders</c>.</param>
public sealed class QuotaExceededException(string subject, string quota, string message) : Exception(message)
{
    public string Subject { get; } = subject;
    public string Quota { get; } = quota;
}
