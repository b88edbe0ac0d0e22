using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EmoFarm.Testing;

/// <summary>Readiness probes: poll with a short, growing backoff until a deadline.</summary>
public static class TcpProbe
{
    /// <summary>True when something accepts a TCP connection on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> IsOpenAsync(int port, CancellationToken cancellationToken = default)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), attempt.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Waits until the port accepts connections; throws <see cref="TimeoutException"/> at the deadline.</summary>
    public static Task WaitForOpenAsync(int port, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitUntilAsync(ct => IsOpenAsync(port, ct), timeout, $"port {port} to open", cancellationToken);

    /// <summary>Waits until nothing accepts connections on the port any more.</summary>
    public static Task WaitForClosedAsync(int port, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitUntilAsync(async ct => !await IsOpenAsync(port, ct), timeout, $"port {port} to close", cancellationToken);

    /// <summary>
    /// Polls <paramref name="condition"/> with a backoff from 20 ms to 500 ms until it holds or the timeout passes.
    /// This is a readiness probe for an external process, not synchronisation inside a test.
    /// </summary>
    public static async Task WaitUntilAsync(
        Func<CancellationToken, Task<bool>> condition,
        TimeSpan timeout,
        string what,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            if (await condition(cancellationToken))
            {
                return;
            }

            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}.");
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }
}
