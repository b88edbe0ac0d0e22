using EmoFarm.Contracts;
using EmoFarm.Faces.Quality;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Telemetry;
using EmoFarm.Farm.Work;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Faces;

/// <summary>
/// Landmark continuity across each seam of the final frame sequence, measured by the orchestrator before it
/// encodes: the frames around a seam (its overlap plus <see cref="Margin"/> on each side) against the neighbouring
/// segments' own motion, which their workers measured.
/// </summary>
public sealed class SeamQualityMeter(FaceModels faces, IBlobStore blobs, IRenderStore store, IOptions<QualityOptions> options)
{
    public const int Margin = 2;

    public async Task MeasureAsync(string renderId, IReadOnlyList<string> frameKeys, IReadOnlyList<SegmentRecord> segments, CancellationToken ct)
    {
        if (!options.Value.Enabled || faces.Analyzer is not { } analyzer)
            return;
        var motion = (await store.GetQualityAsync(renderId, ct)).Segments.ToDictionary(q => q.SegmentIndex, q => q.Motion);
        var frames = new FrameStore(blobs);
        foreach (var seam in SegmentPlanner.Seams([.. segments.Select(s => new SegmentPlan(s.Index, s.FirstFrame, s.FrameCount))]))
        {
            using var activity = FarmTelemetry.Source.StartActivity("measure seam quality");
            activity?.SetTag("emofarm.render_id", renderId).SetTag("emofarm.seam", seam.Index);
            var start = Math.Max(0, seam.FirstFrame - Margin);
            var end = Math.Min(frameKeys.Count, seam.EndFrame + Margin);
            var keys = frameKeys.Skip(start).Take(end - start).ToList();
            var track = await Task.Run(() => FaceTrack.Measure(analyzer, null, keys.Select(k => frames.GetAsync(k, ct).GetAwaiter().GetResult()),
                faces.Options.MinScore), ct);
            var neighbours = new[] { seam.LeftSegment, seam.RightSegment }
                .Select(i => motion.GetValueOrDefault(i)).OfType<double>().ToList();
            double? within = neighbours.Count > 0 ? neighbours.Average() : null;
            var score = LandmarkMotion.ScoreSeam(LandmarkMotion.Steps(track.Points), seam.FirstFrame - start, seam.FrameCount + 1, within);
            await store.RecordQualityAsync(renderId, new SeamQuality(seam.Index, SegmentQualityMeter.Finite(score.AcrossSeam), SegmentQualityMeter.Finite(score.WithinSegments), SegmentQualityMeter.Finite(score.Ratio)), ct);
        }
    }
}
