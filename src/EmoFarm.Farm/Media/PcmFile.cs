using System.Globalization;
using System.Runtime.InteropServices;
using FFMpegCore;
using FFMpegCore.Exceptions;

namespace EmoFarm.Farm.Media;

/// <summary>
/// A track as 16 kHz mono float32 (<see cref="AudioDecoder"/>'s samples) in a private temporary file, read a window
/// at a time: the orchestrator cuts an hour's segments (230 MB decoded) holding one segment's samples, never the
/// track. The file goes on dispose.
/// </summary>
public sealed class PcmFile : IDisposable
{
    private readonly DirectoryInfo _folder;

    private PcmFile(DirectoryInfo folder, long sampleCount)
    {
        _folder = folder;
        Path = TrackPath(folder);
        SampleCount = sampleCount;
    }

    public string Path { get; }

    public long SampleCount { get; }

    public double Seconds => SampleCount / (double)AudioDecoder.SampleRate;

    /// <summary>Decodes the audio of <paramref name="audioPath"/> as <see cref="AudioDecoder.DecodeAsync(string, double?, CancellationToken)"/> does, into the file.</summary>
    /// <param name="maxSeconds">Stop decoding after this much audio (null: all of it); the caller judges the length.</param>
    public static async Task<PcmFile> DecodeAsync(string audioPath, double? maxSeconds, CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("emofarm-pcm-");
        try
        {
            await FFMpegArguments.FromFileInput(audioPath)
                .OutputToFile(TrackPath(folder), overwrite: true, o =>
                {
                    o.WithAudioSamplingRate(AudioDecoder.SampleRate).WithCustomArgument("-vn -ac 1").ForceFormat("f32le");
                    if (maxSeconds is { } max)
                        o.WithCustomArgument(string.Create(CultureInfo.InvariantCulture, $"-t {max:0.###}"));
                })
                .ProcessAsynchronously(cancellationToken: ct);
            return new PcmFile(folder, new FileInfo(TrackPath(folder)).Length / sizeof(float));
        }
        catch (Exception e)
        {
            folder.Delete(recursive: true);
            if (e is FFMpegException)
                throw new MediaException("could not be decoded as audio", e);
            throw;
        }
    }

    /// <summary>Samples computed in memory (the separated vocals), written out so that they are sliced like a decoded track.</summary>
    public static async Task<PcmFile> WriteAsync(ReadOnlyMemory<float> samples, CancellationToken ct)
    {
        var track = new PcmFile(Directory.CreateTempSubdirectory("emofarm-pcm-"), samples.Length);
        try
        {
            await using var file = File.Create(track.Path);
            // A megabyte at a time, so writing never copies the whole track.
            for (var at = 0; at < samples.Length; at += 1 << 18)
                await file.WriteAsync(ToBytes(samples.Slice(at, Math.Min(1 << 18, samples.Length - at))), ct);
        }
        catch
        {
            track.Dispose();
            throw;
        }
        return track;
    }

    /// <summary>The little-endian float32 bytes of <paramref name="count"/> samples from sample <paramref name="from"/>.</summary>
    public async Task<byte[]> ReadBytesAsync(long from, int count, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (from + count > SampleCount)
            throw new ArgumentOutOfRangeException(nameof(count), $"samples {from} to {from + count} run past the track's {SampleCount}");
        var bytes = new byte[count * sizeof(float)];
        using var handle = File.OpenHandle(Path);
        for (var read = 0; read < bytes.Length;)
        {
            var n = await RandomAccess.ReadAsync(handle, bytes.AsMemory(read), (from * sizeof(float)) + read, ct);
            if (n == 0)
                throw new EndOfStreamException($"{Path} ended at byte {(from * sizeof(float)) + read}");
            read += n;
        }
        return bytes;
    }

    public void Dispose()
    {
        if (_folder.Exists)
            _folder.Delete(recursive: true);
    }

    private static string TrackPath(DirectoryInfo folder) => System.IO.Path.Combine(folder.FullName, "track.f32");

    private static ReadOnlyMemory<byte> ToBytes(ReadOnlyMemory<float> samples) =>
        MemoryMarshal.AsBytes(samples.Span).ToArray();
}
