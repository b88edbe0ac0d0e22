using EmoFarm.Contracts;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;

namespace EmoFarm.Benchmarks;

/// <summary>
/// A render stored the way <see cref="RenderSubmitter"/> stores one, minus ffprobe, decoding and validation: the
/// portrait, the original audio (a WAV, so the final encode works) and every segment's audio slice are uploaded,
/// then the record is created. Dispatching is left to the caller, so that it can be timed on its own.
/// </summary>
internal static class SyntheticRender
{
    public const int Fps = 25;

    public static async Task<(RenderRecord Render, IReadOnlyList<SegmentPlan> Segments)> CreateAsync(
        IRenderStore store, IBlobStore blobs, int segmentCount, int segmentFrames, int overlap, int frameSize, CancellationToken ct,
        string tenant = TenantName.Local)
    {
        var id = Guid.CreateVersion7().ToString("N");
        var frames = segmentFrames + (segmentCount - 1) * (segmentFrames - overlap);
        var segments = SegmentPlanner.Plan(frames, segmentFrames, overlap);
        var seconds = frames / (double)Fps;
        var audio = Tone(seconds);

        var portrait = RgbImage.Blank(frameSize, frameSize);
        Random.Shared.NextBytes(portrait.Pixels);
        await blobs.PutBytesAsync(BlobKeys.Portrait(tenant, id), PngCodec.Encode(portrait), "image/png", ct);
        await blobs.PutBytesAsync(BlobKeys.OriginalAudio(tenant, id), Wav(audio), "audio/wav", ct);
        var context = new OrchestratorOptions().AudioContextSeconds;
        await Parallel.ForEachAsync(segments, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (s, c) =>
            await blobs.PutBytesAsync(BlobKeys.AudioSlice(tenant, id, s.Index), AudioSlicer.Slice(audio, s.FirstFrame, s.FrameCount, Fps, context).Bytes, "application/octet-stream", c));

        var now = DateTimeOffset.UtcNow;
        var render = new RenderRecord
        {
            Id = id,
            Tenant = tenant,
            State = RenderState.Queued,
            Spec = new RenderSpec
            {
                Model = new ModelSettings
                {
                    Fps = Fps,
                    Width = frameSize,
                    Height = frameSize,
                    Steps = 1,
                    GuidanceScale = 1,
                    ReferenceGuidanceScale = 1,
                    HeadMotionSpeed = 0,
                },
                Seed = (ulong)Random.Shared.NextInt64(),
                SegmentFrames = segmentFrames,
                OverlapFrames = overlap,
                // Crossfade keeps seams on the orchestrator: the motion-frame strategy would send RenderSeam work to
                // the same workers and blur what is measured.
                SeamStrategy = SeamStrategyKind.Crossfade,
                Priority = 5,
            },
            PortraitKey = BlobKeys.Portrait(tenant, id),
            AudioKey = BlobKeys.OriginalAudio(tenant, id),
            AudioSeconds = seconds,
            FrameTotal = frames,
            SegmentCount = segments.Count,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var (stored, _) = await store.CreateAsync(render, segments, ActiveRenderLimits.None, ct);
        return (stored, segments);
    }

    private static float[] Tone(double seconds)
    {
        var samples = new float[(int)(seconds * AudioDecoder.SampleRate)];
        for (var i = 0; i < samples.Length; i++)
            samples[i] = 0.2f * MathF.Sin(2 * MathF.PI * 220 * i / AudioDecoder.SampleRate);
        return samples;
    }

    /// <summary>16-bit mono PCM WAV: the smallest container ffmpeg reads without probing guesses.</summary>
    private static byte[] Wav(float[] samples)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.ASCII, leaveOpen: true))
        {
            var data = samples.Length * 2;
            w.Write("RIFF"u8);
            w.Write(36 + data);
            w.Write("WAVEfmt "u8);
            w.Write(16);
            w.Write((short)1); // PCM
            w.Write((short)1); // mono
            w.Write(AudioDecoder.SampleRate);
            w.Write(AudioDecoder.SampleRate * 2);
            w.Write((short)2);
            w.Write((short)16);
            w.Write("data"u8);
            w.Write(data);
            foreach (var s in samples)
                w.Write((short)(Math.Clamp(s, -1f, 1f) * short.MaxValue));
        }
        return stream.ToArray();
    }
}
