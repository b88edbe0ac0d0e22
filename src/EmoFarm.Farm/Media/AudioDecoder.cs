using System.Globalization;
using FFMpegCore;
using FFMpegCore.Exceptions;

namespace EmoFarm.Farm.Media;

/// <summary>Decodes any audio ffmpeg can read (WAV, MP3, FLAC, OGG, M4A, …) to the 16 kHz mono float32 the model takes.</summary>
public static class AudioDecoder
{
    public const int SampleRate = 16_000;

    /// <summary>Duration in seconds from the container, without decoding; throws when there is no audio stream.</summary>
    public static async Task<double> ProbeSecondsAsync(string path, CancellationToken ct)
    {
        IMediaAnalysis analysis;
        try
        {
            analysis = await FFProbe.AnalyseAsync(path, cancellationToken: ct);
        }
        catch (Exception e) when (e is FFMpegException or FormatException or InvalidOperationException)
        {
            throw new MediaException("is not a readable audio file", e);
        }
        if (analysis.PrimaryAudioStream is null)
            throw new MediaException("has no audio stream");
        return analysis.Duration.TotalSeconds;
    }

    public static Task<float[]> DecodeAsync(string path, CancellationToken ct) => DecodeAsync(path, null, ct);

    /// <param name="maxSeconds">Stop decoding after this much audio (null: all of it); the caller judges the length.</param>
    public static async Task<float[]> DecodeAsync(string path, double? maxSeconds, CancellationToken ct)
    {
        using var pcm = new MemoryStream();
        try
        {
            await FFMpegArguments.FromFileInput(path)
                .OutputToPipe(FfmpegOutput.To(pcm), o =>
                {
                    o.WithAudioSamplingRate(SampleRate).WithCustomArgument("-vn -ac 1").ForceFormat("f32le");
                    if (maxSeconds is { } max)
                        o.WithCustomArgument(string.Create(CultureInfo.InvariantCulture, $"-t {max:0.###}"));
                })
                .ProcessAsynchronously(cancellationToken: ct);
        }
        catch (FFMpegException e)
        {
            throw new MediaException("could not be decoded as audio", e);
        }
        var samples = new float[pcm.Length / sizeof(float)];
        Buffer.BlockCopy(pcm.GetBuffer(), 0, samples, 0, samples.Length * sizeof(float));
        return samples;
    }

    public static byte[] ToBytes(ReadOnlySpan<float> samples)
    {
        var bytes = new byte[samples.Length * sizeof(float)];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples).CopyTo(bytes);
        return bytes;
    }

    public static float[] FromBytes(ReadOnlySpan<byte> bytes) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
