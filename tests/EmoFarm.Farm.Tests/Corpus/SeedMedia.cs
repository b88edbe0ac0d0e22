using EmoFarm.Testing;

namespace EmoFarm.Farm.Tests.Corpus;

/// <summary>
/// The valid files every hostile input is mutated from, made with ffmpeg from the repo's samples at run time so no
/// binary is committed: three image formats and five audio formats, small so the orchestrator judges each quickly.
/// </summary>
internal sealed class SeedMedia
{
    public const double AudioSeconds = 1.2;

    public static readonly string[] ImageFormats = ["png", "jpg", "webp"];
    public static readonly string[] AudioFormats = ["wav", "mp3", "flac", "ogg", "m4a"];

    private SeedMedia(IReadOnlyDictionary<string, byte[]> files, byte[] silentFlac)
    {
        Files = files;
        SilentFlac = silentFlac;
    }

    /// <summary>Format (the extension) to bytes.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }

    /// <summary>Silence as FLAC, twice the longest track accepted: about 18 kB a minute, that decode to 3.8 MB a minute.</summary>
    public byte[] SilentFlac { get; }

    public byte[] this[string format] => Files[format];

    /// <param name="samples">The repo's samples folder (portrait.png, speech.wav).</param>
    public static async Task<SeedMedia> CreateAsync(string samples, CorpusLimits limits)
    {
        var silence = (2 * limits.MaxAudioSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var folder = new TempFolder("seeds");
        var portrait = Path.Combine(samples, "portrait.png");
        var speech = Path.Combine(samples, "speech.wav");
        string[] audioIn = ["-i", speech, "-t", AudioSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-ac", "1", "-ar", "16000"];
        var jobs = new Dictionary<string, string[]>
        {
            ["png"] = ["-i", portrait, "-vf", "scale=96:96", "-frames:v", "1"],
            ["jpg"] = ["-i", portrait, "-vf", "scale=96:96", "-frames:v", "1", "-q:v", "4"],
            ["webp"] = ["-i", portrait, "-vf", "scale=96:96", "-frames:v", "1", "-c:v", "libwebp"],
            ["wav"] = [.. audioIn, "-c:a", "pcm_s16le"],
            ["mp3"] = [.. audioIn, "-c:a", "libmp3lame", "-b:a", "32k"],
            ["flac"] = [.. audioIn, "-c:a", "flac"],
            ["ogg"] = [.. audioIn, "-c:a", "libvorbis"],
            ["m4a"] = [.. audioIn, "-c:a", "aac", "-b:a", "32k"],
            ["silent.flac"] = ["-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", silence, "-c:a", "flac"],
        };
        // -bitexact keeps encoder version strings out of the files, so a seed is the same bytes on every run.
        await Task.WhenAll(jobs.Select(j => RunAsync(["-v", "error", .. j.Value, "-map_metadata", "-1", "-bitexact", "-y", folder.File("seed." + j.Key)])));
        var files = jobs.Keys.ToDictionary(k => k, k => File.ReadAllBytes(folder.File("seed." + k)));
        var silent = files["silent.flac"];
        files.Remove("silent.flac");
        return new SeedMedia(files, silent);
    }

    private static async Task RunAsync(string[] args)
    {
        var result = await ChildProcess.RunAsync(new ChildProcessOptions { FileName = "ffmpeg", Arguments = args }, TimeSpan.FromMinutes(1));
        if (!result.Succeeded)
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} failed ({result.ExitCode}): {result.Output}");
    }
}
