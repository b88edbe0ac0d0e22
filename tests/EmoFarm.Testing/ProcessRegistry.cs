using System.Collections.Concurrent;

namespace EmoFarm.Testing;

/// <summary>
/// Remembers every process the tests started, so that none outlives the test host even when a test crashed
/// before disposing its fixture.
/// </summary>
internal static class ProcessRegistry
{
    private static readonly ConcurrentDictionary<int, bool> Live = new();

    static ProcessRegistry()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    public static void Add(int pid, bool ownGroup) => Live[pid] = ownGroup;

    public static void Remove(int pid) => Live.TryRemove(pid, out _);

    public static void KillAll()
    {
        foreach (var (pid, ownGroup) in Live)
        {
            try
            {
                NativeMethods.Kill(ownGroup ? -pid : pid, UnixSignal.Kill);
            }
            catch (InvalidOperationException)
            {
                // Best effort at shutdown: one process we may not signal must not stop the others being killed.
            }
        }

        Live.Clear();
    }
}
