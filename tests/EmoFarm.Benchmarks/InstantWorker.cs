using System.Globalization;
using EmoFarm.Testing;
using Microsoft.Extensions.Hosting;

namespace EmoFarm.Benchmarks;

/// <summary>
/// A worker process whose renderer is <see cref="InstantClipRenderer"/>: this benchmark executable again, in its
/// <c>instant-worker</c> mode, so that it can be killed with SIGKILL like a real worker.
/// </summary>
internal static class InstantWorker
{
    public const string Mode = "instant-worker";

    public static async Task<ChildProcess> StartAsync(Dictionary<string, string?> config, string name, int clipMs)
    {
        var env = config.ToDictionary(p => p.Key.Replace(":", "__", StringComparison.Ordinal), p => p.Value);
        env["Worker__Name"] = name;
        env["MASSTRANSIT_USAGE_TELEMETRY"] = "false";
        var process = ChildProcess.Start(new ChildProcessOptions
        {
            FileName = Environment.ProcessPath!,
            Arguments = [Mode, "--clip-ms", clipMs.ToString(CultureInfo.InvariantCulture)],
            Environment = env,
            Name = name,
        });
        await process.WaitForOutputAsync(l => l.Contains("instant worker ready", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        return process;
    }

    /// <summary>The child's side: a farm worker host on the configuration in its environment, until killed.</summary>
    public static async Task RunAsync(BenchArgs args)
    {
        var clipMs = args.Int("clip-ms", 100, 0);
        args.RejectUnknown();
        var config = Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.Contains("__", StringComparison.Ordinal))
            .ToDictionary(k => k.Replace("__", ":", StringComparison.Ordinal), k => Environment.GetEnvironmentVariable(k));
        using var host = await FarmHost.StartWorkerAsync(config, new InstantClipRenderer(8, 64, TimeSpan.FromMilliseconds(clipMs)), new SegmentTimings(int.MaxValue));
        Console.WriteLine("instant worker ready");
        await host.WaitForShutdownAsync();
    }
}
