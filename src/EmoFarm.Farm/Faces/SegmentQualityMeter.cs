using System.Diagnostics;
using EmoFarm.Contracts;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces.Quality;
using EmoFarm.Farm.Frames;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Telemetry;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Faces;

/// <summary>
/// Measures a finished segment on the worker that rendered it (the GPU is there, and the frames are one bucket
/// read away): face share, identity against the portrait, lip-sync against the audio slice, and its own landmark
/// motion, which the seam checks compare against. Reads the stored frames, so a segment resumed across attempts is
/// measured whole.
/// </summary>
public sealed class SegmentQualityMeter(FaceModels faces, IBlobStore blobs, IOptions<QualityOptions> options)
{
    /// <returns>The measurements, or null when quality checks are off on this worker.</returns>
    public async Task<SegmentQuality?> MeasureAsync(RenderSegment m, RgbImage portrait, float[] audio, CancellationToken ct)
    {
        if (!options.Value.Enabled || faces.Analyzer is not { } analyzer)
            return null;
        using var activity = FarmTelemetry.Source.StartActivity("measure segment quality");
        activity?.SetTag("emofarm.render_id", m.RenderId).SetTag("emofarm.segment", m.SegmentIndex);
        var reference = ReferenceFace.Describe(analyzer, portrait, m.Settings.FaceRegion, faces.Options.MinScore);
        if (reference is null)
            return new SegmentQuality(m.SegmentIndex, 0, null, null, 0, 0, null, m.Take);

        var store = new FrameStore(blobs);
        var keys = Enumerable.Range(0, m.FrameCount).Select(i => BlobKeys.Frame(m.Tenant, m.RenderId, m.SegmentIndex, m.FirstFrame + i, m.Take)).ToList();
        // The nets are synchronous; run them off the consumer's thread, fetching each frame as they need it.
        var track = await Task.Run(() => FaceTrack.Measure(analyzer, reference, keys.Select(k => store.GetAsync(k, ct).GetAwaiter().GetResult()),
            faces.Options.MinScore), ct);
        var loudness = LipSync.Envelope(audio, AudioDecoder.SampleRate, m.AudioLeadSamples, m.FrameCount, m.Settings.Fps);
        var (sync, lag) = LipSync.BestCorrelation(track.MouthOpening, loudness);
        activity?.SetTag("emofarm.face_share", track.FaceShare).SetTag("emofarm.lip_sync", sync);
        return new SegmentQuality(m.SegmentIndex, track.FaceShare, Finite(track.IdentityMean), Finite(track.IdentityMin), sync, lag, Finite(track.Motion), m.Take);
    }

    internal static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
