namespace EmoFarm.Model.Checkpoints;

/// <summary>Thrown by <see cref="LoadReport.EnsureComplete"/>; carries the full report.</summary>
public sealed class CheckpointMismatchException : Exception
{
    public CheckpointMismatchException()
    {
    }

    public CheckpointMismatchException(string message)
        : base(message)
    {
    }

    public CheckpointMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CheckpointMismatchException(string message, LoadReport report)
        : base(message) => Report = report;

    public LoadReport? Report { get; }
}
