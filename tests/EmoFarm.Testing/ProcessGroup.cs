using System.Globalization;

namespace EmoFarm.Testing;

/// <summary>Reads /proc to see which processes of a process group are still running.</summary>
internal static class ProcessGroup
{
    /// <summary>PIDs in the group that are not yet dead; zombies count as dead (only their parent's wait is missing).</summary>
    public static List<int> LiveMembers(int groupId)
    {
        List<int> members = [];
        if (!Directory.Exists("/proc"))
        {
            return members;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // gone while we looked
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // The command name may contain spaces and parentheses; the fields after the last ')' are fixed.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 2 && fields[0] != "Z" && fields[0] != "X"
                && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var group)
                && group == groupId)
            {
                members.Add(pid);
            }
        }

        return members;
    }

    /// <summary>SIGKILLs the group and waits (polling /proc) until none of it runs, up to <paramref name="timeout"/>.</summary>
    public static async Task KillAndWaitAsync(int groupId, TimeSpan timeout)
    {
        NativeMethods.Kill(-groupId, UnixSignal.Kill);
        try
        {
            await TcpProbe.WaitUntilAsync(
                _ => Task.FromResult(LiveMembers(groupId).Count == 0), timeout, $"process group {groupId} to die");
        }
        catch (TimeoutException)
        {
            // A process stuck in uninterruptible I/O dies when that returns; nothing more can be done from here.
        }
    }
}
