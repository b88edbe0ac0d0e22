using EmoFarm.Farm.Media;
using EmoFarm.Farm.Vocals;
using Microsoft.Extensions.Logging;

namespace EmoFarm.Farm.Conditioning;

/// <summary>
/// The audio that drives the lips: the vocals separated from the mix as Hallo separates them (audio-separator's
/// MDX-Net with Kim_Vocal_2, then 16 kHz mono), or the mix itself when separation is off or has no model. The MP4
/// always carries the original mix; only the audio encoder hears the vocals.
/// </summary>
public sealed partial class VocalTrack(ConditioningModels models, ILogger<VocalTrack> logger)
{
    /// <param name="audioPath">The uploaded file, decoded again at 44.1 kHz stereo for the separator.</param>
    /// <returns>
    /// The separated vocals as 16 kHz mono in a temporary file the caller disposes, or null when the mix itself (the
    /// same file as 16 kHz mono) drives the lips; and a line saying which.
    /// </returns>
    public async Task<(PcmFile? Vocals, string Report)> DriveAsync(string renderId, string audioPath, bool separate, CancellationToken ct)
    {
        if (!separate)
            return (null, "the mix: vocal separation is off for this render");
        if (models.Separator is not { } separator)
        {
            LogNoSeparator(logger, renderId, models.SeparatorMissing);
            return (null, $"the mix: NO VOCAL SEPARATION, {models.SeparatorMissing}");
        }

        var (left, right) = await MixDecoder.DecodeAsync(audioPath, ct);
        var chunks = separator.CountChunks(left.Length);
        var progress = new Progress<SeparationProgress>(p => LogSeparating(logger, renderId, p.ChunksDone, p.ChunksTotal));
        float[] vocals;
        // One separation at a time: a chunk holds about 3 GB at Kim_Vocal_2's size on the CPU.
        await models.SeparatorGate.WaitAsync(ct);
        try
        {
            vocals = await HalloVocals.SeparateForWav2Vec2Async(separator, left, right, progress, cancellationToken: ct);
        }
        finally
        {
            models.SeparatorGate.Release();
        }
        // Written out and dropped here, so that the track is no longer in memory while its slices upload.
        return (await PcmFile.WriteAsync(vocals, ct), $"the vocals, separated by {Path.GetFileName(separator.ModelPath)} (MDX-Net, {chunks} chunks, hash {separator.Parameters.Hash})");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "render {RenderId}: NO VOCAL SEPARATION, {Reason}; the whole mix drives the lips, accompaniment included")]
    private static partial void LogNoSeparator(ILogger logger, string renderId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "render {RenderId}: separating vocals, chunk {Done} of {Total}")]
    private static partial void LogSeparating(ILogger logger, string renderId, int done, int total);
}
