using System.ComponentModel.DataAnnotations;

namespace EmoFarm.Farm.Planning;

public sealed class OrchestratorOptions
{
    public const string Section = "Orchestrator";

    /// <summary>Longest accepted track.</summary>
    [Range(1, 86_400)] public double MaxAudioSeconds { get; set; } = 3600;

    /// <summary>Shortest accepted track: below this there is nothing to animate.</summary>
    [Range(0.01, 10)] public double MinAudioSeconds { get; set; } = 0.1;

    /// <summary>Largest accepted portrait side, checked from the header before anything is decoded.</summary>
    [Range(64, 65_536)] public int MaxImageSide { get; set; } = 8192;

    /// <summary>Largest accepted upload per file.</summary>
    [Range(1024, long.MaxValue)] public long MaxUploadBytes { get; set; } = 2L << 30;

    /// <summary>
    /// Longest the orchestrator spends judging one input file (every ffprobe and ffmpeg run on it together). A file
    /// crafted to decode slowly is refused past it, and its ffmpeg is killed, so no upload can hold a request forever;
    /// the refusal is DEADLINE_EXCEEDED, because a valid file on a busy orchestrator can run out of it too.
    /// </summary>
    [Range(0.01, 3600)] public double InspectTimeoutSeconds { get; set; } = 60;

    /// <summary>Audio given to a segment's encoder beyond its own frames, on each side.</summary>
    [Range(0, 10)] public double AudioContextSeconds { get; set; } = 0.5;

    /// <summary>Attempts at a segment (crashes included) before its render fails. Stamped into each command, so
    /// every worker applies the same bound.</summary>
    [Range(1, 100)] public int MaxSegmentAttempts { get; set; } = 3;

    /// <summary>Attempts at a seam's motion-frame continuation (crashes included) before it falls back to a crossfade.</summary>
    [Range(1, 100)] public int MaxSeamAttempts { get; set; } = 2;

    /// <summary>Longest a single attempt at a bookkeeping or seam step may run before it counts as failed.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest a single attempt at encoding a render may run before it counts as failed.</summary>
    public TimeSpan EncodeTimeout { get; set; } = TimeSpan.FromHours(2);
}
