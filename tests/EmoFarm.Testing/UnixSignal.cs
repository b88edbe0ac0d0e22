namespace EmoFarm.Testing;

/// <summary>POSIX signal numbers on Linux (x86-64 and arm64 share these).</summary>
public enum UnixSignal
{
    Hangup = 1,
    Interrupt = 2,
    Quit = 3,
    Kill = 9,
    Terminate = 15,
    Continue = 18,
    Stop = 19,
}
