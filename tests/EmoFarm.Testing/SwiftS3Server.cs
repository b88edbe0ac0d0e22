using System.Globalization;

namespace EmoFarm.Testing;

/// <summary>
/// A real S3 endpoint: OpenStack Swift (proxy, object, container and account servers) with the s3api and tempauth
/// middleware, plus the memcached tempauth needs. Unlike a mock, it checks SigV4 signatures, so a wrong secret or a
/// tampered presigned URL is rejected as MinIO would.
/// </summary>
public sealed class SwiftS3Server : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly TempFolder folder = new("swift");
    private readonly List<ChildProcess> processes = [];
    private readonly List<(string Kind, string Conf)> serverConfigs = [];

    private SwiftS3Server() => ProxyPort = PortAllocator.GetFreePort();

    public string Host { get; } = "127.0.0.1";

    public int ProxyPort { get; }

    /// <summary>host:port, as the Minio client's WithEndpoint wants it (no scheme, no TLS).</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"{Host}:{ProxyPort}");

    public Uri ServiceUri => new(string.Create(CultureInfo.InvariantCulture, $"http://{Endpoint}/"));

    public string AccessKey { get; } = "test:tester";

    public string SecretKey { get; } = "testing";

    public string Region { get; } = "us-east-1";

    /// <summary>The running processes (memcached and the four Swift servers), for diagnostics.</summary>
    public IReadOnlyList<ChildProcess> Processes => processes;

    public static async Task<SwiftS3Server> StartAsync(CancellationToken cancellationToken = default)
    {
        var swift = new SwiftS3Server();
        try
        {
            await swift.LaunchAsync(cancellationToken);
            return swift;
        }
        catch
        {
            await swift.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops the proxy and the storage servers and starts them again on the same ports and devices, so every object
    /// survives; the endpoint refuses connections in between. memcached (tempauth's token cache) keeps running.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        foreach (var (kind, _) in Enumerable.Reverse(serverConfigs))
        {
            var old = processes.Single(p => p.Name == ServerName(kind));
            await old.DisposeAsync();
            processes.Remove(old);
        }
        foreach (var (kind, conf) in serverConfigs)
            processes.Add(StartServer(kind, conf));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        await WaitForProxyAsync(deadline.Token);
    }

    public async ValueTask DisposeAsync()
    {
        // Stopping the proxy first keeps it from logging connection errors about the servers behind it.
        foreach (var process in Enumerable.Reverse(processes))
        {
            await process.DisposeAsync();
        }

        processes.Clear();
        folder.Dispose();
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        var ct = deadline.Token;

        var swiftDir = folder.Path;
        var devices = folder.Sub("srv");
        folder.Sub("srv", "d1");
        var memcachedPort = PortAllocator.GetFreePort();
        var ports = new Dictionary<string, int>
        {
            ["object"] = PortAllocator.GetFreePort(),
            ["container"] = PortAllocator.GetFreePort(),
            ["account"] = PortAllocator.GetFreePort(),
        };

        var rings = await ChildProcess.RunAsync(
            new ChildProcessOptions
            {
                // Debian's interpreter: the one that has the swift package, whatever python3 is first on PATH.
                FileName = "/usr/bin/python3",
                Arguments = ["-c", SwiftConfigFiles.RingScript(swiftDir, ports["object"], ports["container"], ports["account"])],
            },
            StartTimeout,
            ct);
        if (!rings.Succeeded)
        {
            throw new InvalidOperationException($"Building the Swift rings failed ({rings.ExitCode}):\n{rings.Output}");
        }

        processes.Add(ChildProcess.Start(new ChildProcessOptions
        {
            FileName = "memcached",
            // -u: memcached refuses to run as root unless told which user to stay.
            Arguments = ["-l", "127.0.0.1", "-p", Port(memcachedPort), "-U", "0", "-m", "64", "-u", Environment.UserName],
        }));

        foreach (var (kind, port) in ports)
        {
            var conf = Path.Combine(swiftDir, $"{kind}-server.conf");
            await File.WriteAllTextAsync(conf, SwiftConfigFiles.Storage(kind, swiftDir, port, devices), ct);
            serverConfigs.Add((kind, conf));
            processes.Add(StartServer(kind, conf));
        }

        var proxyConf = Path.Combine(swiftDir, "proxy-server.conf");
        await File.WriteAllTextAsync(
            proxyConf, SwiftConfigFiles.Proxy(swiftDir, ProxyPort, memcachedPort, AccessKey, SecretKey, Region), ct);
        serverConfigs.Add(("proxy", proxyConf));
        processes.Add(StartServer("proxy", proxyConf));

        try
        {
            await Task.WhenAll(ports.Values.Append(memcachedPort).Select(p => WaitForPortAsync(p, ct)));
            await WaitForProxyAsync(ct);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or InvalidOperationException
                                  && !cancellationToken.IsCancellationRequested)
        {
            var outputs = string.Join('\n', processes.Select(p => $"--- {p} exit={p.ExitCode} ---\n{p.OutputTail(30)}"));
            throw new TimeoutException($"Swift did not become ready within {StartTimeout.TotalSeconds:0} s: {e.Message}\n{outputs}", e);
        }
    }

    private static string ServerName(string kind) => $"swift-{kind}-server";

    private static ChildProcess StartServer(string kind, string conf) =>
        ChildProcess.Start(new ChildProcessOptions
        {
            FileName = ServerName(kind),
            Name = ServerName(kind),
            // -v copies the log to the console, which is where ChildProcess keeps it for diagnostics.
            Arguments = [conf, "-v"],
        });

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private async Task WaitForPortAsync(int port, CancellationToken ct) =>
        await TcpProbe.WaitUntilAsync(
            async token => ThrowIfAnyExited() || await TcpProbe.IsOpenAsync(port, token),
            StartTimeout,
            $"port {port}",
            ct);

    private async Task WaitForProxyAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = ServiceUri, Timeout = TimeSpan.FromSeconds(5) };
        await TcpProbe.WaitUntilAsync(
            async token =>
            {
                ThrowIfAnyExited();
                try
                {
                    using var health = await http.GetAsync(new Uri("healthcheck", UriKind.Relative), token);
                    if (!health.IsSuccessStatusCode)
                    {
                        return false;
                    }

                    var info = await http.GetStringAsync(new Uri("info", UriKind.Relative), token);
                    return info.Contains("\"s3api\"", StringComparison.Ordinal);
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            StartTimeout,
            "the Swift proxy's /healthcheck and /info",
            ct);
    }

    private bool ThrowIfAnyExited()
    {
        var dead = processes.FirstOrDefault(p => p.HasExited);
        return dead is null
            ? false
            : throw new InvalidOperationException($"{dead} exited with code {dead.ExitCode}.");
    }
}
