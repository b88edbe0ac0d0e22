using System.ComponentModel.DataAnnotations;

namespace EmoFarm.Farm.Work;

public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Segments in flight at once, each with prefetch 1; at most the renderer's devices (one for EMO).</summary>
    [Range(1, 16)] public int Gpus { get; set; } = 1;

    /// <summary>Name reported in progress and metrics; defaults to the host name.</summary>
    public string Name { get; set; } = Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName;

    /// <summary>Frames uploaded in parallel per clip.</summary>
    [Range(1, 64)] public int UploadParallelism { get; set; } = 8;
}
