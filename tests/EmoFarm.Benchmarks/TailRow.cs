using System.Globalization;

namespace EmoFarm.Benchmarks;

/// <summary>One length's figures in <see cref="TailBenchmark"/>; seconds unless named otherwise.</summary>
internal sealed record TailRow
{
    public required int Minutes { get; init; }
    public required int Frames { get; init; }
    public required int Chunks { get; init; }
    /// <summary>The CreateRenderStream call: upload, inspection, slicing, dispatch.</summary>
    public required double CreateSeconds { get; init; }
    /// <summary>From the create call's start to the first chunk stored: the first playable preview.</summary>
    public required double FirstChunkSeconds { get; init; }
    /// <summary>From the create call's start to the last segment done.</summary>
    public required double RenderSeconds { get; init; }
    /// <summary>Last segment done to the last chunk asked for: its seam, which both paths wait for.</summary>
    public required double SeamLagSeconds { get; init; }
    /// <summary>Chunks stored after the last segment was done: encodes the tail waited for besides the last one.</summary>
    public required int Backlog { get; init; }
    /// <summary>The last chunk asked for, from the request to the chunk stored.</summary>
    public required double LastEncodeSeconds { get; init; }
    /// <summary>The last chunk stored to the MP4 stored: FinalizeRender's downloads, stream copy and upload.</summary>
    public required double AssemblySeconds { get; init; }
    /// <summary>Last segment done to the MP4 stored (the render's Succeeded time in the store).</summary>
    public required double TailAfterSeconds { get; init; }
    public required double SinglePassSeconds { get; init; }
    /// <summary>The seam lag plus the single pass: the old tail from the same last segment done.</summary>
    public required double TailBeforeSeconds { get; init; }
    public required double SinglePassCpuSeconds { get; init; }
    public required double PeakMiB { get; init; }
    public required double CpuSeconds { get; init; }
    public required double ChildCpuSeconds { get; init; }
    public required long FrameBytes { get; init; }
    public required long Mp4Bytes { get; init; }
    public required long SinglePassBytes { get; init; }
    public required long DiskUsedBytes { get; init; }
    public required int Faults { get; init; }
    public required double WallSeconds { get; init; }

    public static void Print(IReadOnlyList<TailRow> rows)
    {
        Console.WriteLine();
        Console.WriteLine("min  frames chunks | create  1st chunk   render | seam lag backlog last encode assembly tail after | single pass tail before  cpu s | orch VmHWM MiB  cpu s  ffmpeg s");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Minutes,3} {r.Frames,7} {r.Chunks,6} | {r.CreateSeconds,6:F1} {r.FirstChunkSeconds,10:F1} {r.RenderSeconds,8:F0} | {r.SeamLagSeconds,8:F2} {r.Backlog,7} {r.LastEncodeSeconds,11:F2} {r.AssemblySeconds,8:F2} {r.TailAfterSeconds,10:F2} | {r.SinglePassSeconds,11:F1} {r.TailBeforeSeconds,11:F1} {r.SinglePassCpuSeconds,6:F0} | {r.PeakMiB,14:F0} {r.CpuSeconds,6:F0} {r.ChildCpuSeconds,9:F1}"));
        }
        Console.WriteLine();
        Console.WriteLine("min  frames GB (est.)  MP4 MB  single-pass MP4 MB  disk used GB  faults  wall s");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Minutes,3} {r.FrameBytes / 1e9,17:F2} {r.Mp4Bytes / 1e6,7:F1} {r.SinglePassBytes / 1e6,19:F1} {r.DiskUsedBytes / 1e9,13:F2} {r.Faults,7} {r.WallSeconds,7:F0}"));
        }
        Console.WriteLine("""

            create: the CreateRenderStream call (upload, inspection, slicing, dispatch); 1st chunk: create to the first
            chunk stored (the first playable preview); render: create to the last segment done (a worker stored its frames).
            seam lag: last segment done to the last chunk asked for (its seam, which both paths wait for); backlog: chunks
            stored after the last segment was done; last encode: the last chunk asked for to stored; assembly: the last
            chunk stored to the MP4 stored; tail after: last segment done to the MP4 stored (the store's Succeeded time).
            single pass: download every frame PNG, encode them with the audio in one ffmpeg, upload (the path before
            chunks); tail before = seam lag + single pass; its cpu s: this process (PNG downloads and decodes) + ffmpeg.
            orch: the orchestrator process (a child process): peak RSS, own CPU s, and its ffmpeg children's CPU s.
            """);
    }
}
