using System.Runtime.InteropServices;

namespace EmoFarm.Testing;

internal static partial class NativeMethods
{
    private const int NoSuchProcess = 3; // ESRCH

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    /// <summary>Sends a signal; a negative pid addresses the whole process group. False when nothing was there.</summary>
    public static bool Kill(int pid, UnixSignal signal)
    {
        if (KillNative(pid, (int)signal) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == NoSuchProcess
            ? false
            : throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {errno}.");
    }
}
