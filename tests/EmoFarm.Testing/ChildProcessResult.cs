namespace EmoFarm.Testing;

/// <summary>The outcome of a short-lived command run by <see cref="ChildProcess.RunAsync"/>.</summary>
public sealed record ChildProcessResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
}
