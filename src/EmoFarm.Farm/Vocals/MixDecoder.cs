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

        using var pcm = new MemoryStream();
        try
        {
            await FFMpegArguments.FromFileInput(path)
                .OutputToPipe(FfmpegOutput.To(pcm), o =>
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
        var interleaved = AudioDecoder.FromBytes(pcm.GetBuffer().AsSpan(0, (int)pcm.Length));
        var frames = interleaved.Length / channels;
        float[] left = new float[frames], right = new float[frames];
        for (var i = 0; i < frames; i++)
        {
            left[i] = interleaved[i * channels];
            right[i] = interleaved[i * channels + channels - 1];
        }
        return (left, right);
    }
}
