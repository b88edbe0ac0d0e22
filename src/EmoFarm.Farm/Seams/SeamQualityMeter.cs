using EmoFarm.Contracts;
using EmoFarm.Faces.Quality;
using EmoFarm.Farm.Faces;
using EmoFarm.Farm.Frames;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Telemetry;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Seams;

/// <summary>
/// Landmark continuity across each seam of the final frame sequence, measured by the orchestrator: the frames around
/// a seam (its overlap plus <see cref="Margin"/> on each side) against the neighbouring segments' own motion, which
/// their workers measured.
/// </summary>
public sealed class SeamQualityMeter(FaceModels faces, IBlobStore blobs, IRenderStore store, IOptions<QualityOptions> options)
{
    public const int Margin = 2;

    /// <summary>
    /// Measures each reconciled seam not measured yet whose frames are all final: its window reaches into no other
    /// seam still being reconciled. Called as seams complete with those seams as <paramref name="completed"/> (their
    /// neighbours may have waited on them), so the work is spread over the render rather than queued in front of the
    /// encode, which calls it once more, for every seam, to measure whatever is left.
    /// </summary>
    public async Task MeasureAsync(RenderRecord render, IReadOnlyList<SegmentRecord> segments, IReadOnlySet<int> doneSeams, IEnumerable<int>? completed, CancellationToken ct)
    {
        if (!options.Value.Enabled || faces.Analyzer is not { } analyzer)
            return;
        var seams = SegmentPlanner.Seams([.. segments.Select(s => new SegmentPlan(s.Index, s.FirstFrame, s.FrameCount))]);
        var total = segments[^1].FirstFrame + segments[^1].FrameCount;
        var candidates = completed is null ? seams : [.. completed.SelectMany(k => new[] { k - 1, k, k + 1 }).Distinct().Where(k => k >= 0 && k < seams.Count).Select(k => seams[k])];
        var ready = candidates
            .Where(s => doneSeams.Contains(s.Index))
            .Select(s => (Seam: s, Start: Math.Max(0, s.FirstFrame - Margin), End: Math.Min(total, s.EndFrame + Margin)))
            .Where(w => seams.All(other => doneSeams.Contains(other.Index) || other.EndFrame <= w.Start || other.FirstFrame >= w.End))
            .ToList();
        var quality = await store.GetQualityAsync(render.Id,
            [.. ready.SelectMany(w => new[] { w.Seam.LeftSegment, w.Seam.RightSegment }).Distinct()], [.. ready.Select(w => w.Seam.Index)], ct);
        var measured = quality.Seams.Select(s => s.SeamIndex).ToHashSet();
        ready.RemoveAll(w => measured.Contains(w.Seam.Index));
        if (ready.Count == 0)
            return;

        var motion = quality.Segments.ToDictionary(q => q.SegmentIndex, q => q.Motion);
        var frames = new FrameStore(blobs);
        foreach (var (seam, start, end) in ready)
        {
            using var activity = FarmTelemetry.Source.StartActivity("measure seam quality");
            activity?.SetTag("emofarm.render_id", render.Id).SetTag("emofarm.seam", seam.Index);
            var keys = Enumerable.Range(start, end - start).Select(f => FrameSources.Key(render.Tenant, render.Id, segments, f)).ToList();
            var track = await Task.Run(() => FaceTrack.Measure(analyzer, null, keys.Select(k => frames.GetAsync(k, ct).GetAwaiter().GetResult()),
                faces.Options.MinScore), ct);
            var neighbours = new[] { seam.LeftSegment, seam.RightSegment }
                .Select(i => motion.GetValueOrDefault(i)).OfType<double>().ToList();
            double? within = neighbours.Count > 0 ? neighbours.Average() : null;
            var score = LandmarkMotion.ScoreSeam(LandmarkMotion.Steps(track.Points), seam.FirstFrame - start, seam.FrameCount + 1, within);
            await store.RecordQualityAsync(render.Id, new SeamQuality(seam.Index, SegmentQualityMeter.Finite(score.AcrossSeam), SegmentQualityMeter.Finite(score.WithinSegments), SegmentQualityMeter.Finite(score.Ratio)), ct);
        }
    }
}
