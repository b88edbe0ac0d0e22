using System.Diagnostics;
using System.Globalization;

namespace EmoFarm.Testing;

/// <summary>
/// A process started for a test: its stdout and stderr go line by line into a bounded buffer, tests can wait for
/// a line without polling, and it is killed (with everything it spawned) on dispose or when the test host exits.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const string SetSid = "/usr/bin/setsid";

    private readonly Process process;
    private readonly OutputRing output;
    private readonly bool ownGroup;
    private readonly Lock gate = new();
    private readonly List<(Func<string, bool> Predicate, TaskCompletionSource<string> Found)> waiters = [];
    private readonly TaskCompletionSource<int> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource streamsClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int openStreams = 2;

    private ChildProcess(ChildProcessOptions options)
    {
        Name = options.Name ?? Path.GetFileName(options.FileName);
        output = new OutputRing(options.OutputCapacity);
        ownGroup = options.OwnProcessGroup && File.Exists(SetSid);

        var info = new ProcessStartInfo(ownGroup ? SetSid : options.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = options.WorkingDirectory ?? string.Empty,
        };
        if (ownGroup)
        {
            info.ArgumentList.Add(options.FileName);
        }

        foreach (var argument in options.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in options.Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => exited.TrySetResult(process.ExitCode);
    }

    public string Name { get; }

    public int Id { get; private set; }

    public bool HasExited => exited.Task.IsCompleted;

    /// <summary>Null while running; 128 + signal number when a signal ended it.</summary>
    public int? ExitCode => exited.Task.IsCompleted ? exited.Task.Result : null;

    /// <summary>Completes with the exit code when the process exits.</summary>
    public Task<int> Exited => exited.Task;

    /// <summary>The retained stdout and stderr lines, interleaved in arrival order.</summary>
    public IReadOnlyList<string> OutputLines => output.Snapshot();

    public static ChildProcess Start(ChildProcessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!ExecutableLookup.Exists(options.FileName))
        {
            // Behind setsid a missing program would only show as exit code 1; say what is missing instead.
            throw new FileNotFoundException(
                $"'{options.FileName}' was not found. Run scripts/install-deps.sh to install the test services.",
                options.FileName);
        }

        var child = new ChildProcess(options);
        child.process.Start();
        child.Id = child.process.Id;
        ProcessRegistry.Add(child.Id, child.ownGroup);
        // Nobody types into these processes; an open stdin would keep some (erl) waiting for input.
        child.process.StandardInput.Close();
        child.process.BeginOutputReadLine();
        child.process.BeginErrorReadLine();
        return child;
    }

    public static ChildProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null) =>
        Start(new ChildProcessOptions
        {
            FileName = fileName,
            Arguments = [.. arguments],
            Environment = environment ?? new Dictionary<string, string?>(),
            WorkingDirectory = workingDirectory,
        });

    /// <summary>Runs a short-lived command to completion and returns its exit code and combined output.</summary>
    public static async Task<ChildProcessResult> RunAsync(
        ChildProcessOptions options,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        await using var child = Start(options);
        var code = await child.WaitForExitAsync(timeout, cancellationToken);
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        drain.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            // Exit can be reported before the pipes are read to the end.
            await child.streamsClosed.Task.WaitAsync(drain.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A grandchild still holds the pipe open; what arrived so far is enough.
        }

        return new ChildProcessResult(code, string.Join('\n', child.OutputLines));
    }

    /// <summary>The last <paramref name="maxLines"/> lines of output, for exception messages.</summary>
    public string OutputTail(int maxLines = 60)
    {
        var lines = output.Snapshot();
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Count - maxLines)));
    }

    /// <summary>
    /// Completes with the first output line (already buffered or yet to come) that matches. Throws
    /// <see cref="TimeoutException"/> at the deadline and <see cref="InvalidOperationException"/> if the output
    /// ends without a match.
    /// </summary>
    public async Task<string> WaitForOutputAsync(
        Func<string, bool> predicate,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var entry = (predicate, found);
        lock (gate)
        {
            var earlier = output.Snapshot().FirstOrDefault(predicate);
            if (earlier is not null)
            {
                return earlier;
            }

            if (openStreams == 0)
            {
                throw new InvalidOperationException($"{Name} closed its output without a matching line.\n{OutputTail()}");
            }

            waiters.Add(entry);
        }

        try
        {
            return await found.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"{Name} printed no matching line within {timeout.TotalSeconds:0.#} s.\n{OutputTail()}");
        }
        finally
        {
            lock (gate)
            {
                waiters.Remove(entry);
            }
        }
    }

    /// <summary>
    /// Sends a signal to the process, or to its whole process group. Returns false when it had already gone.
    /// </summary>
    public bool Kill(UnixSignal signal, bool entireGroup = false)
    {
        if (Id == 0)
        {
            return false;
        }

        if (entireGroup && ownGroup)
        {
            return NativeMethods.Kill(-Id, signal);
        }

        return !HasExited && NativeMethods.Kill(Id, signal);
    }

    /// <summary>Waits for the process to exit and returns its exit code; throws <see cref="TimeoutException"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            return await exited.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"{Name} (pid {Id}) did not exit within {timeout.TotalSeconds:0.#} s.\n{OutputTail()}");
        }
    }

    /// <summary>
    /// SIGTERM, then SIGKILL to the whole group if it has not exited after <paramref name="grace"/>. Whatever it
    /// spawned into its group is killed as well.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (Id == 0)
        {
            return;
        }

        if (!HasExited)
        {
            Kill(UnixSignal.Terminate);
            try
            {
                await exited.Task.WaitAsync(grace);
            }
            catch (TimeoutException)
            {
                Kill(UnixSignal.Kill, entireGroup: true);
                Kill(UnixSignal.Kill);
                await WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
        }

        if (ownGroup)
        {
            // Descendants may outlive the leader (Erlang's helpers, a shell's background jobs); wait until they
            // are gone so that their ports and files are free when this returns.
            await ProcessGroup.KillAndWaitAsync(Id, TimeSpan.FromSeconds(5));
        }

        ProcessRegistry.Remove(Id);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        process.Dispose();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} (pid {Id})");

    private void OnLine(string? line)
    {
        List<TaskCompletionSource<string>> matched = [];
        var closed = false;
        lock (gate)
        {
            if (line is null)
            {
                closed = --openStreams == 0;
            }
            else
            {
                output.Add(line);
                foreach (var (predicate, found) in waiters)
                {
                    if (predicate(line))
                    {
                        matched.Add(found);
                    }
                }
            }
        }

        foreach (var found in matched)
        {
            found.TrySetResult(line!);
        }

        if (closed)
        {
            streamsClosed.TrySetResult();
            FailWaiters();
        }
    }

    private void FailWaiters()
    {
        List<TaskCompletionSource<string>> pending;
        lock (gate)
        {
            pending = [.. waiters.Select(w => w.Found)];
        }

        foreach (var found in pending)
        {
            found.TrySetException(
                new InvalidOperationException($"{Name} closed its output without a matching line.\n{OutputTail()}"));
        }
    }
}
