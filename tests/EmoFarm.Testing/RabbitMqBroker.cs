using System.Diagnostics;
using System.Globalization;

namespace EmoFarm.Testing;

/// <summary>
/// A real RabbitMQ node on 127.0.0.1 with its own ports, HOME (Erlang cookie), data, logs and epmd, so that
/// several brokers can run side by side and nothing under /etc/rabbitmq applies.
/// </summary>
public sealed class RabbitMqBroker : IAsyncDisposable
{
    // The /usr/sbin wrappers su to the rabbitmq user, which changes HOME and with it the cookie the CLI needs.
    private const string ScriptDirectory = "/usr/lib/rabbitmq/bin";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly TempFolder folder = new("rabbitmq");
    private readonly Dictionary<string, string?> environment;
    private readonly int epmdPort;
    private ChildProcess? epmd;
    private ChildProcess? server;

    private RabbitMqBroker()
    {
        AmqpPort = PortAllocator.GetFreePort();
        epmdPort = PortAllocator.GetFreePort();
        var distPort = PortAllocator.GetFreePort();
        NodeName = $"emofarm-{Guid.NewGuid():N}"[..20] + "@localhost";

        var home = folder.Sub("home");
        var cookie = Path.Combine(home, ".erlang.cookie");
        File.WriteAllText(cookie, Guid.NewGuid().ToString("N"));
        if (!OperatingSystem.IsWindows())
        {
            // Erlang refuses a cookie file that others can read.
            File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
        }

        var config = Path.Combine(folder.Path, "rabbitmq.conf");
        File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture, $"""
            listeners.tcp.1 = 127.0.0.1:{AmqpPort}
            loopback_users = none
            log.console = true
            log.console.level = info
            log.file.level = info
            """));
        var confEnv = Path.Combine(folder.Path, "rabbitmq-env.conf");
        File.WriteAllText(confEnv, string.Empty);
        var plugins = Path.Combine(folder.Path, "enabled_plugins");
        File.WriteAllText(plugins, "[].\n");

        environment = new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = AmqpPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = folder.Sub("mnesia"),
            ["RABBITMQ_LOG_BASE"] = folder.Sub("log"),
            ["RABBITMQ_CONFIG_FILE"] = config,
            ["RABBITMQ_CONF_ENV_FILE"] = confEnv,
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = plugins,
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            ["RABBITMQ_PID_FILE"] = Path.Combine(folder.Path, "rabbitmq.pid"),
        };
    }

    public string Host { get; } = "127.0.0.1";

    public int AmqpPort { get; }

    public string Username { get; } = "guest";

    public string Password { get; } = "guest";

    public string NodeName { get; }

    /// <summary>amqp://guest:guest@127.0.0.1:PORT/ (the default vhost).</summary>
    public Uri Uri => new(string.Create(CultureInfo.InvariantCulture, $"amqp://{Username}:{Password}@{Host}:{AmqpPort}/"));

    public ChildProcess Process => server ?? throw new InvalidOperationException("The broker is not running.");

    public static async Task<RabbitMqBroker> StartAsync(CancellationToken cancellationToken = default)
    {
        var broker = new RabbitMqBroker();
        try
        {
            await broker.LaunchAsync(cancellationToken);
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs rabbitmqctl against this node, e.g. <c>list_queues name messages</c>.</summary>
    public Task<ChildProcessResult> CtlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default) =>
        ChildProcess.RunAsync(
            new ChildProcessOptions
            {
                FileName = Path.Combine(ScriptDirectory, "rabbitmqctl"),
                Arguments = ["-n", NodeName, .. arguments],
                Environment = environment,
            },
            TimeSpan.FromSeconds(60),
            cancellationToken);

    /// <summary>Graceful stop; the epmd it used goes too.</summary>
    public async Task StopAsync()
    {
        if (server is not null)
        {
            // The wrapper script turns SIGTERM into an orderly node shutdown.
            await server.StopAsync(TimeSpan.FromSeconds(15));
            await server.DisposeAsync();
            server = null;
        }

        if (epmd is not null)
        {
            await epmd.DisposeAsync();
            epmd = null;
        }
    }

    /// <summary>
    /// Graceful stop, then the same node again on the same ports and data: durable queues, their persistent messages
    /// and the virtual hosts survive, as they do when a RabbitMQ pod restarts on its volume.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync();
        await LaunchAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        folder.Dispose();
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        // Without an epmd on ERL_EPMD_PORT the node would start `epmd -daemon`, which outlives it.
        epmd = ChildProcess.Start(new ChildProcessOptions
        {
            FileName = "epmd",
            Arguments = ["-port", epmdPort.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1"],
            Environment = environment,
        });
        await TcpProbe.WaitForOpenAsync(epmdPort, TimeSpan.FromSeconds(10), cancellationToken);

        server = ChildProcess.Start(new ChildProcessOptions
        {
            FileName = Path.Combine(ScriptDirectory, "rabbitmq-server"),
            Name = "rabbitmq-server",
            Environment = environment,
            WorkingDirectory = folder.Path,
        });

        try
        {
            // The node answers pings before AMQP listens, so wait for the port first.
            await TcpProbe.WaitUntilAsync(
                async ct => server.HasExited
                    ? throw new InvalidOperationException($"rabbitmq-server exited with code {server.ExitCode}.")
                    : await TcpProbe.IsOpenAsync(AmqpPort, ct),
                StartTimeout,
                $"RabbitMQ to listen on {AmqpPort}",
                cancellationToken);
            var remaining = StartTimeout - clock.Elapsed;
            var awaited = await CtlAsync(
                ["-q", "await_startup", "--timeout", Math.Max(5, (int)remaining.TotalSeconds).ToString(CultureInfo.InvariantCulture)],
                cancellationToken);
            if (!awaited.Succeeded)
            {
                throw new InvalidOperationException($"rabbitmqctl await_startup failed ({awaited.ExitCode}): {awaited.Output}");
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new TimeoutException(
                $"RabbitMQ node {NodeName} did not start within {StartTimeout.TotalSeconds:0} s: {e.Message}\n" +
                $"--- broker output ---\n{server.OutputTail()}\n--- broker log ---\n{LogTail()}",
                e);
        }
    }

    private string LogTail()
    {
        var logFolder = environment["RABBITMQ_LOG_BASE"]!;
        var log = Directory.Exists(logFolder)
            ? Directory.EnumerateFiles(logFolder, "*.log").FirstOrDefault()
            : null;
        if (log is null)
        {
            return "(no log file)";
        }

        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 60)));
    }
}
