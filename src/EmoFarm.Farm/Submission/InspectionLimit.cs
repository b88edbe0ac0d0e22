using System.Globalization;

namespace EmoFarm.Farm.Submission;

/// <summary>
/// The time one input file may take to judge. Cancelling the token kills the ffprobe or ffmpeg then running, so a file
/// built to decode for hours costs its request no more than the limit.
/// </summary>
internal sealed class InspectionLimit : IDisposable
{
    private readonly CancellationToken _caller;
    private readonly CancellationTokenSource _source;

    public InspectionLimit(double seconds, CancellationToken caller)
    {
        _caller = caller;
        Seconds = seconds;
        _source = CancellationTokenSource.CreateLinkedTokenSource(caller);
        _source.CancelAfter(TimeSpan.FromSeconds(seconds));
    }

    public double Seconds { get; }

    public CancellationToken Token => _source.Token;

    /// <summary>The limit ran out; a cancelled request is the caller's doing and is not reported as a slow file.</summary>
    public bool TimedOut => _source.IsCancellationRequested && !_caller.IsCancellationRequested;

    /// <summary>
    /// The limit ran out on <paramref name="field"/>: said as such, and marked as a timeout, because a busy machine
    /// runs out of it on a valid file as surely as a hostile file does (<see cref="FieldViolation.TimedOut"/>).
    /// </summary>
    public FieldViolation Violation(string field) => new(field,
        string.Create(CultureInfo.InvariantCulture, $"could not be judged within {Seconds:0.###} s (Orchestrator:InspectTimeoutSeconds)"), TimedOut: true);

    public void Dispose() => _source.Dispose();
}
