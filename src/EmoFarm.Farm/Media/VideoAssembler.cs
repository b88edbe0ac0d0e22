using System.Globalization;
using FFMpegCore;

namespace EmoFarm.Farm.Media;

/// <summary>
/// Joins encoded chunks (<see cref="VideoEncoder"/>) and the encoded audio (<see cref="AudioEncoder"/>) into the
/// final MP4 by stream copy: no frame is decoded or encoded, so the time it takes is that of copying the bytes.
/// </summary>
public static class VideoAssembler
{
    /// <param name="chunks">Files in play order, with their frame counts.</param>
    public static async Task AssembleAsync(IReadOnlyList<(string Path, int Frames)> chunks, int fps, string audioPath, double audioSeconds,
        string outputPath, CancellationToken ct)
    {
        // Each chunk's duration is stated rather than probed: a probed MPEG-TS duration can be off by a frame, which
        // would leave a gap or an overlap at every join.
        var list = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outputPath))!, "chunks.txt");
        await File.WriteAllLinesAsync(list, chunks.SelectMany(c => new[]
        {
            $"file '{c.Path.Replace("'", @"'\''", StringComparison.Ordinal)}'",
            $"duration {Seconds((double)c.Frames / fps)}",
        }), ct);
        await FFMpegArguments
            .FromFileInput(list, verifyExists: true, o => o.WithCustomArgument("-f concat -safe 0"))
            .AddFileInput(audioPath)
            .OutputToFile(outputPath, overwrite: true, o => o
                .WithFastStart()
                // The video has ceil(seconds × fps) frames; cutting at the audio's length keeps the file exactly
                // as long as the audio, within one frame.
                .WithCustomArgument($"-map 0:v:0 -map 1:a:0 -c copy -t {Seconds(audioSeconds)}"))
            .ProcessAsynchronously(cancellationToken: ct);
    }

    private static string Seconds(double seconds) => seconds.ToString("0.#########", CultureInfo.InvariantCulture);
}
