using System.Runtime.InteropServices;
using EmoFarm.Farm.Media;
using FFMpegCore;
using FFMpegCore.Exceptions;

namespace EmoFarm.Farm.Vocals;

/// <summary>
/// Decodes an audio file to the 44.1 kHz stereo float samples <see cref="VocalSeparator.Separate"/> takes, as
/// audio-separator's prepare_mix gets them from librosa.load(path, mono=False, sr=44100): a mono file becomes two equal
/// channels, more than two channels are refused. For 16-, 24- and 32-bit PCM and float files at 44.1 kHz the
/// samples are the same as libsndfile's (ffmpeg and libsndfile both scale by 2^-15, 2^-23, 2^-31). A file at another
/// rate is resampled by ffmpeg's default resampler, where librosa uses soxr_hq: close, not the same samples.
/// </summary>
public static class MixDecoder
{
    public static async Task<(float[] Left, float[] Right)> DecodeAsync(string path, CancellationToken cancellationToken = default)
    {
        IMediaAnalysis analysis;
        try
        {
            analysis = await FFProbe.AnalyseAsync(path, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is FFMpegException or FormatException or InvalidOperationException)
        {
            throw new MediaException("is not a readable audio file", e);
        }
        var stream = analysis.PrimaryAudioStream ?? throw new MediaException("has no audio stream");
        if (stream.Channels is not (1 or 2))
            throw new MediaException($"has {stream.Channels} audio channels; audio-separator separates mono or stereo only");
        var channels = stream.Channels is 2 ? 2 : 1;

        // Through a file, read back a block at a time: an hour of 44.1 kHz stereo is 1.27 GB of floats, and a
        // MemoryStream of it (grown by doubling) plus its interleaved copy held three to four times that at once.
        var folder = Directory.CreateTempSubdirectory("emofarm-mix-");
        try
        {
            var pcm = Path.Combine(folder.FullName, "mix.f32");
            try
            {
                await FFMpegArguments.FromFileInput(path)
                    .OutputToFile(pcm, overwrite: true, o =>
                    {
                        o.WithCustomArgument("-vn");
                        if (stream.SampleRateHz != VocalSeparator.SampleRate)
                            o.WithAudioSamplingRate(VocalSeparator.SampleRate);
                        o.ForceFormat("f32le");
                    })
                    .ProcessAsynchronously(cancellationToken: cancellationToken);
            }
            catch (FFMpegException e)
            {
                throw new MediaException("could not be decoded as audio", e);
            }
            return await DeinterleaveAsync(pcm, channels, cancellationToken);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The first and last channel of each frame (the same one twice for mono).</summary>
    private static async Task<(float[] Left, float[] Right)> DeinterleaveAsync(string path, int channels, CancellationToken ct)
    {
        const int block = 1 << 16;
        await using var file = File.OpenRead(path);
        var frames = (int)(file.Length / (sizeof(float) * channels));
        float[] left = new float[frames], right = new float[frames];
        var buffer = new byte[block * channels * sizeof(float)];
        for (var at = 0; at < frames;)
        {
            var bytes = Math.Min(block, frames - at) * channels * sizeof(float);
            await file.ReadExactlyAsync(buffer.AsMemory(0, bytes), ct);
            var samples = MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, bytes));
            for (var i = 0; i < samples.Length; i += channels, at++)
            {
                left[at] = samples[i];
                right[at] = samples[i + channels - 1];
            }
        }
        return (left, right);
    }
}
