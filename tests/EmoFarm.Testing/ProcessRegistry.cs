using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace EmoFarm.Testing;

/// <summary>
/// Remembers every process the tests started, so that none outlives the test host even when a test crashed
/// before disposing its fixture, or the host itself was stopped.
/// </summary>
/// <remarks>
/// Three layers: ProcessExit covers a normal exit; signal registrations cover SIGTERM/SIGINT/SIGHUP, which since
/// .NET 10 no longer raise ProcessExit by default; and a small reaper shell, in its own session, waits for the
/// host to vanish and then kills whatever is still listed, which covers SIGKILL and crashes of the runtime.
/// </remarks>
internal static class ProcessRegistry
{
    private const string ReaperScript = """
        exec </dev/null >/dev/null 2>&1
        while kill -0 "$1" 2>/dev/null; do sleep 1; done
        if [ -f "$2" ]; then
          while read -r pid group; do
            if [ "$group" = 1 ]; then kill -9 -- "-$pid"; else kill -9 "$pid"; fi
          done < "$2"
          rm -f "$2"
        fi
        """;

    private static readonly Dictionary<int, bool> Live = [];
    private static readonly Lock Gate = new();
    private static readonly string ListFile = Path.Combine(
        Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"emofarm-children-{Environment.ProcessId}.list"));

    private static readonly List<PosixSignalRegistration> SignalRegistrations = [];
    private static bool reaperStarted;

    static ProcessRegistry()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
        {
            // The handler does not cancel the signal, so the host still stops as it would have.
            SignalRegistrations.Add(PosixSignalRegistration.Create(signal, _ => KillAll()));
        }
    }

    public static void Add(int pid, bool ownGroup)
    {
        lock (Gate)
        {
            Live[pid] = ownGroup;
            WriteList();
            StartReaper();
        }
    }

    public static void Remove(int pid)
    {
        lock (Gate)
        {
            if (Live.Remove(pid))
            {
                WriteList();
            }
        }
    }

    public static void KillAll()
    {
        lock (Gate)
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
            WriteList();
        }
    }

    private static void WriteList()
    {
        try
        {
            // Written aside and renamed, so the reaper never reads half a list.
            var temporary = ListFile + ".tmp";
            File.WriteAllLines(
                temporary,
                Live.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {(p.Value ? 1 : 0)}")));
            File.Move(temporary, ListFile, overwrite: true);
        }
        catch (IOException)
        {
            // The list only backs up the in-process clean-up; a test must not fail because /tmp is unwritable.
        }
    }

    private static void StartReaper()
    {
        if (reaperStarted || !File.Exists("/usr/bin/setsid"))
        {
            return;
        }

        reaperStarted = true;
        var info = new ProcessStartInfo("/usr/bin/setsid") { UseShellExecute = false };
        // bash, not sh: dash's kill cannot address a process group (it reads "-PGID" as an option).
        foreach (var argument in new[]
                 {
                     "/bin/bash", "-c", ReaperScript, "emofarm-reaper",
                     Environment.ProcessId.ToString(CultureInfo.InvariantCulture), ListFile,
                 })
        {
            info.ArgumentList.Add(argument);
        }

        using var reaper = Process.Start(info);
    }
}
