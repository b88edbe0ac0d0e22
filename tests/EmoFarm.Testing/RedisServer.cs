using System.Globalization;

namespace EmoFarm.Testing;

/// <summary>A real redis-server on 127.0.0.1, on its own port and data folder.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly TempFolder folder = new("redis");
    private readonly bool appendOnly;
    private ChildProcess? server;

    private RedisServer(bool appendOnly)
    {
        this.appendOnly = appendOnly;
        Port = PortAllocator.GetFreePort();
    }

    public string Host { get; } = "127.0.0.1";

    public int Port { get; }

    /// <summary>The data folder, kept across <see cref="RestartAsync"/>.</summary>
    public string DataDirectory => folder.Path;

    /// <summary>A StackExchange.Redis configuration string.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port},abortConnect=false");

    public ChildProcess Process => server ?? throw new InvalidOperationException("Redis is not running.");

    /// <summary>
    /// Starts redis-server. With <paramref name="appendOnly"/> every write is fsynced to an AOF, so data survives
    /// <see cref="KillAsync"/> and <see cref="RestartAsync"/>.
    /// </summary>
    public static async Task<RedisServer> StartAsync(bool appendOnly = false, CancellationToken cancellationToken = default)
    {
        var redis = new RedisServer(appendOnly);
        try
        {
            await redis.LaunchAsync(cancellationToken);
            return redis;
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown save, no goodbye to clients.</summary>
    public async Task KillAsync()
    {
        if (server is null)
        {
            return;
        }

        server.Kill(UnixSignal.Kill, entireGroup: true);
        await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await server.DisposeAsync();
        server = null;
    }

    /// <summary>Graceful stop (SIGTERM).</summary>
    public async Task StopAsync()
    {
        if (server is null)
        {
            return;
        }

        await server.StopAsync(TimeSpan.FromSeconds(10));
        await server.DisposeAsync();
        server = null;
    }

    /// <summary>Stops it if running, then starts it again on the same port with the same data folder.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync();
        await LaunchAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
            server = null;
        }

        folder.Dispose();
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        string[] persistence = appendOnly
            ? ["--appendonly", "yes", "--appendfsync", "always"]
            : ["--appendonly", "no"];
        server = ChildProcess.Start(new ChildProcessOptions
        {
            FileName = "redis-server",
            Name = "redis-server",
            Arguments =
            [
                "--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture),
                "--save", string.Empty, "--dir", folder.Path, "--daemonize", "no", .. persistence,
            ],
            WorkingDirectory = folder.Path,
        });
        var ready = server.WaitForOutputAsync(
            line => line.Contains("Ready to accept connections", StringComparison.Ordinal), StartTimeout, cancellationToken);
        var finished = await Task.WhenAny(ready, server.Exited);
        if (finished != ready)
        {
            throw new InvalidOperationException(
                $"redis-server exited with code {server.ExitCode} before it was ready.\n{server.OutputTail()}");
        }

        await ready;
        await TcpProbe.WaitForOpenAsync(Port, StartTimeout, cancellationToken);
    }
}
