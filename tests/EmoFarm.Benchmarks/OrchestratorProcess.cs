using System.Globalization;
using EmoFarm.Testing;

namespace EmoFarm.Benchmarks;

/// <summary>The built orchestrator service as a child process on the benchmark's servers, as a deployment runs it.</summary>
internal sealed class OrchestratorProcess : IAsyncDisposable
{
    private OrchestratorProcess(ChildProcess process, int port)
    {
        Process = process;
        Port = port;
        Address = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
    }

    public ChildProcess Process { get; }

    public string Address { get; }

    public int Port { get; }

    public bool HasExited => Process.HasExited;

    /// <param name="config">Settings as ':' keys, as a host's configuration names them.</param>
    /// <param name="grpcPort">A fixed gRPC port, to start the orchestrator again where its clients are; a free one if null.</param>
    public static async Task<OrchestratorProcess> StartAsync(Dictionary<string, string?> config, int? grpcPort = null)
    {
        var dll = Path.Combine(RepoRoot(), "src", "EmoFarm.Orchestrator", "bin", "Release", "net10.0", "EmoFarm.Orchestrator.dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException($"{dll} is missing: build the solution in Release first (dotnet build EmoFarm.sln -c Release)", dll);
        var port = grpcPort ?? PortAllocator.GetFreePort();
        var env = config.ToDictionary(p => p.Key.Replace(":", "__", StringComparison.Ordinal), p => p.Value);
        env["Logging__LogLevel__Default"] = "Warning";
        env["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        // A benchmark measures the farm, not its doorman: one open tenant without quotas, unless the caller says otherwise.
        env.TryAdd("Auth__Open", "true");
        env.TryAdd("Quotas__Default__MaxActiveRenders", "1000000");
        env.TryAdd("Quotas__Default__MaxQueuedAudioSeconds", "1000000000");
        env.TryAdd("Quotas__Default__CreatesPerMinute", "1000000");
        var process = ChildProcess.Start(new ChildProcessOptions
        {
            FileName = "dotnet",
            Arguments = [dll, $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{port}", $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{PortAllocator.GetFreePort()}"],
            Environment = env,
            Name = "orchestrator",
            WorkingDirectory = Path.GetDirectoryName(dll),
        });
        await process.WaitForOutputAsync(l => l.Contains("Application started", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
        return new OrchestratorProcess(process, port);
    }

    /// <summary>The process's peak resident memory so far (VmHWM), in MiB.</summary>
    public double PeakMemoryMiB()
    {
        var line = File.ReadLines($"/proc/{Process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    public static string SamplesFolder() => Path.Combine(RepoRoot(), "samples");

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EmoFarm.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"EmoFarm.sln not found above {AppContext.BaseDirectory}");
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
