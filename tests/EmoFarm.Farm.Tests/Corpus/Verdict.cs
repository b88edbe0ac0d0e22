using Grpc.Core;

namespace EmoFarm.Farm.Tests.Corpus;

/// <summary>How the orchestrator judged one hostile case.</summary>
/// <param name="Status">The refusal's status; null when the render was accepted.</param>
/// <param name="Violation">The refusal's violation of the case's field ("field: description"), or the first one.</param>
/// <param name="Problem">What broke the contract (null when the case was judged as it must be).</param>
internal sealed record Verdict(HostileCase Case, StatusCode? Status, string? Violation, TimeSpan Elapsed, string? Problem)
{
    public bool Accepted => Status is null;

    public override string ToString() =>
        $"{Case}: {(Accepted ? "accepted" : $"{Status} {Violation}")} in {Elapsed.TotalMilliseconds:F0} ms{(Problem is null ? "" : " — " + Problem)}";
}
