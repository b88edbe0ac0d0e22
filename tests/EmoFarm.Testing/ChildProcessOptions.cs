namespace EmoFarm.Testing;

/// <summary>What to start and how; see <see cref="ChildProcess.Start(ChildProcessOptions)"/>.</summary>
public sealed record ChildProcessOptions
{
    public required string FileName { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Added to the inherited environment; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public string? WorkingDirectory { get; init; }

    /// <summary>Used in diagnostics; defaults to the file name.</summary>
    public string? Name { get; init; }

    /// <summary>How many stdout/stderr lines are kept for diagnostics.</summary>
    public int OutputCapacity { get; init; } = 2000;

    /// <summary>
    /// Starts the process as the leader of a new session (through setsid), so that stopping it also reaches
    /// whatever it spawned: Erlang's helper processes, shell wrappers' children.
    /// </summary>
    public bool OwnProcessGroup { get; init; } = true;
}
