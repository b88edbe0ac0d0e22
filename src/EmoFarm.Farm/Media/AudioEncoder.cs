using EmoFarm.Farm.Storage;
using FFMpegCore;

namespace EmoFarm.Farm.Media;

/// <summary>The original audio track as the AAC the final MP4 carries, encoded once.</summary>
public static class AudioEncoder
{
    public static async Task EncodeAacAsync(string inputPath, string outputPath, CancellationToken ct) =>
        await FFMpegArguments
            .FromFileInput(inputPath)
            .OutputToFile(outputPath, overwrite: true, o => o
                .WithAudioCodec("aac")
                .ForceFormat("ipod")
                .WithCustomArgument("-vn -map 0:a:0"))
            .ProcessAsynchronously(cancellationToken: ct);

    /// <summary>Encodes the stored <paramref name="audioKey"/> into <paramref name="outputPath"/> and stores that under <paramref name="outputKey"/>.</summary>
    public static async Task EncodeStoredAsync(IBlobStore blobs, string audioKey, string outputKey, string outputPath, CancellationToken ct)
    {
        var input = outputPath + ".source";
        try
        {
            await blobs.DownloadToFileAsync(audioKey, input, ct);
            await EncodeAacAsync(input, outputPath, ct);
            await blobs.UploadFileAsync(outputKey, outputPath, "audio/mp4", ct);
        }
        finally
        {
            File.Delete(input);
        }
    }
}
