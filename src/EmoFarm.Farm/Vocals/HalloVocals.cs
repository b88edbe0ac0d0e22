using EmoFarm.Farm.Media;
using FFMpegCore;
using FFMpegCore.Exceptions;

namespace EmoFarm.Farm.Vocals;

/// <summary>
/// What Hallo's AudioProcessor.preprocess does with audio-separator's output before wav2vec2: the stem file as
/// audio-separator wrote it, hallo.utils.util.resample_audio (ffmpeg -y -v error -i in.wav -ar 16000 out.wav,
/// which keeps both channels and int16), then librosa.load(out, sr=16000): samples / 32768, channels averaged.
/// </summary>
public static class HalloVocals
{
    public const int SampleRate = 16_000;

    /// <summary>The 16 kHz mono float32 samples Hallo gives its wav2vec2 feature extractor, from a separated stem.</summary>
    /// <param name="stem">The stem as <see cref="VocalSeparator.Separate"/> returns it.</param>
    /// <param name="workFolder">Where the two WAV files go while ffmpeg runs (a new folder under the system's temp folder if null); they are deleted after.</param>
    /// <param name="cancellationToken">Stops ffmpeg.</param>
    public static async Task<float[]> ToWav2Vec2InputAsync(VocalStem stem, string? workFolder = null, CancellationToken cancellationToken = default)
    {
        var wav = StemWavWriter.ToWav(stem);
        var folder = Path.Combine(workFolder ?? Path.GetTempPath(), $"emofarm-vocals-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var stemPath = Path.Combine(folder, "vocals.wav");
            var resampledPath = Path.Combine(folder, "vocals-16k.wav");
            await File.WriteAllBytesAsync(stemPath, wav, cancellationToken);
            try
            {
                await FFMpegArguments.FromFileInput(stemPath)
                    .OutputToFile(resampledPath, overwrite: true, o => o.WithAudioSamplingRate(SampleRate))
                    .ProcessAsynchronously(cancellationToken: cancellationToken);
            }
            catch (FFMpegException e)
            {
                throw new MediaException("the separated vocals could not be resampled to 16 kHz by ffmpeg", e);
            }
            var (channels, rate, frames) = PcmWav.Read(resampledPath);
            if (rate != SampleRate)
                throw new MediaException($"ffmpeg wrote {rate} Hz where -ar {SampleRate} was asked");
            return ToMono(frames, channels);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Separates a 44.1 kHz stereo mix and returns what Hallo's wav2vec2 receives, in one call.</summary>
    public static async Task<float[]> SeparateForWav2Vec2Async(VocalSeparator separator, ReadOnlyMemory<float> left, ReadOnlyMemory<float> right,
        IProgress<SeparationProgress>? progress = null, string? workFolder = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(separator);
        var stem = await Task.Run(() => separator.Separate(left.Span, right.Span, progress, cancellationToken), cancellationToken);
        return await ToWav2Vec2InputAsync(stem, workFolder, cancellationToken);
    }

    /// <summary>
    /// soundfile's int16 → float32 (x / 32768), then librosa.to_mono's np.mean over the channels in float32; for two
    /// channels (l + r) / 2, which is exact.
    /// </summary>
    internal static float[] ToMono(short[] frames, int channels)
    {
        var mono = new float[frames.Length / channels];
        for (var i = 0; i < mono.Length; i++)
        {
            var sum = 0f;
            for (var c = 0; c < channels; c++)
                sum += frames[i * channels + c] / 32768f;
            mono[i] = sum / channels;
        }
        return mono;
    }
}
