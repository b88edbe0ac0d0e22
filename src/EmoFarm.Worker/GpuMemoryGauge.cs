using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using EmoFarm.Farm.Telemetry;
using EmoFarm.Farm.Work;
using Microsoft.Extensions.Options;

namespace EmoFarm.Worker;

/// <summary>
/// emofarm_gpu_memory_bytes{worker}: memory in use on this worker's GPUs, as the driver reports it. TorchSharp 0.107
/// exposes no CUDA allocator statistics, so the gauge asks nvidia-smi, at most every 10 s and only when scraped.
/// On a machine without nvidia-smi it reports nothing.
/// </summary>
internal sealed class GpuMemoryGauge : IHostedService
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);
    private readonly string _worker;
    private readonly Lock _gate = new();
    private long? _bytes;
    private DateTime _readAt = DateTime.MinValue;

    public GpuMemoryGauge(IOptions<WorkerOptions> options) => _worker = options.Value.Name;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        FarmTelemetry.Meter.CreateObservableGauge("emofarm.gpu.memory", Observe, "By", "GPU memory in use, from the driver");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<long>> Observe()
    {
        long? bytes;
        lock (_gate)
        {
            if (DateTime.UtcNow - _readAt > MaxAge)
            {
                _bytes = Query();
                _readAt = DateTime.UtcNow;
            }
            bytes = _bytes;
        }
        return bytes is { } value ? [new Measurement<long>(value, new KeyValuePair<string, object?>("worker", _worker))] : [];
    }

    private static long? Query()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("nvidia-smi", "--query-gpu=memory.used --format=csv,noheader,nounits")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
                return null;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(5000);
            return process.ExitCode == 0 ? ParseMebibytes(output) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no nvidia-smi: a CPU worker
        }
    }

    /// <summary>Sums nvidia-smi's per-GPU "memory.used" lines (MiB) into bytes.</summary>
    public static long? ParseMebibytes(string output)
    {
        long total = 0;
        var any = false;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out var mib))
                return null;
            total += mib * 1024 * 1024;
            any = true;
        }
        return any ? total : null;
    }
}
