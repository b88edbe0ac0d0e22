using EmoFarm.Api.V1;
using EmoFarm.Farm.Faces;
using EmoFarm.Farm.State;
using Google.Protobuf.WellKnownTypes;

namespace EmoFarm.Farm.Api;

/// <summary>Stored renders as the API shows them.</summary>
public static class RenderMapper
{
    public static Render ToProto(RenderRecord r, IReadOnlyList<SegmentRecord>? segments = null)
    {
        var m = r.Spec.Model;
        var render = new Render
        {
            Id = r.Id,
            Tenant = r.Tenant,
            State = (EmoFarm.Api.V1.RenderState)(int)r.State,
            Parameters = new RenderParameters
            {
                Fps = (uint)m.Fps,
                Width = (uint)m.Width,
                Height = (uint)m.Height,
                Seed = r.Spec.Seed,
                SamplingSteps = (uint)m.Steps,
                GuidanceScale = m.GuidanceScale,
                ReferenceGuidanceScale = m.ReferenceGuidanceScale,
                HeadMotionSpeed = m.HeadMotionSpeed,
                PoseWeight = m.PoseWeight,
                FaceWeight = m.FaceWeight,
                LipWeight = m.LipWeight,
                FaceExpandRatio = m.FaceExpandRatio,
                SeparateVocals = r.Spec.SeparateVocals,
                SegmentFrames = (uint)r.Spec.SegmentFrames,
                OverlapFrames = (uint)r.Spec.OverlapFrames,
                SeamStrategy = r.Spec.SeamStrategy == SeamStrategyKind.Crossfade ? SeamStrategy.Crossfade : SeamStrategy.MotionFrames,
                Priority = r.Spec.Priority,
            },
            Progress = ToProgress(r),
            Error = r.Error ?? "",
            CreatedAt = Timestamp.FromDateTimeOffset(r.CreatedAt),
            UpdatedAt = Timestamp.FromDateTimeOffset(r.UpdatedAt == default ? r.CreatedAt : r.UpdatedAt),
            AudioSeconds = r.AudioSeconds,
            IdempotencyKey = r.IdempotencyKey ?? "",
        };
        if (r.Conditioning is { } c)
            render.Conditioning = new EmoFarm.Api.V1.Conditioning { Identity = c.Identity, Landmarks = c.Landmarks, Audio = c.Audio };
        if (segments is not null)
        {
            render.Segments.AddRange(segments.Select(s => new SegmentProgress
            {
                Index = (uint)s.Index,
                FirstFrame = (uint)s.FirstFrame,
                FrameCount = (uint)s.FrameCount,
                FramesDone = (uint)s.FramesDone,
                State = s.State.ToString().ToLowerInvariant(),
                Attempts = (uint)s.Attempts,
                Worker = s.Worker ?? "",
                Take = (uint)s.Take,
                Error = s.Error ?? "",
            }));
        }

        return render;
    }

    /// <summary>The render's quality measurements and the checks they fail.</summary>
    public static Quality ToQuality(RenderRecord r, RenderQuality q, QualityOptions limits)
    {
        var flags = QualityVerdict.Flags(q, limits);
        var quality = new Quality { Analysed = q.Takes.Count > 0, Flagged = flags.Count > 0 };
        quality.Flags.AddRange(flags);
        quality.Segments.AddRange(q.Segments.Select(ToProto));
        quality.Takes.AddRange(q.Takes.Select(ToProto));
        quality.Seams.AddRange(q.Seams.Select(s => new EmoFarm.Api.V1.SeamQuality
        {
            Index = (uint)s.SeamIndex,
            AcrossSeam = s.AcrossSeam ?? double.NaN,
            WithinSegments = s.WithinSegments ?? double.NaN,
            Ratio = s.Ratio ?? double.NaN,
            Fallback = s.Fallback ?? "",
        }));
        if (r.Spec.Model.FaceRegion is { } f)
        {
            var (w, h) = (r.Spec.Model.Width, r.Spec.Model.Height);
            quality.Face = new PixelBox { X = (float)(f.Left * w), Y = (float)(f.Top * h), Width = (float)((f.Right - f.Left) * w), Height = (float)((f.Bottom - f.Top) * h) };
        }
        return quality;
    }

    private static EmoFarm.Api.V1.SegmentQuality ToProto(Contracts.SegmentQuality s) => new()
    {
        Index = (uint)s.SegmentIndex,
        FaceShare = s.FaceShare,
        IdentityMean = s.IdentityMean ?? double.NaN,
        IdentityMin = s.IdentityMin ?? double.NaN,
        LipSync = s.LipSync,
        LipSyncLag = s.LipSyncLag,
        Motion = s.Motion ?? double.NaN,
        Take = (uint)s.Take,
    };

    public static Progress ToProgress(RenderRecord r)
    {
        // Frames rendered by overlapping segments count twice, so the total counts every segment's frames.
        var total = (long)r.FrameTotal + (long)r.SeamCount * r.Spec.OverlapFrames;
        var eta = -1.0;
        if (r.RenderingSince is { } since && r.FramesDone > 0 && !RenderStateMachine.IsTerminal(r.State))
        {
            var elapsed = (DateTimeOffset.UtcNow - since).TotalSeconds;
            eta = Math.Max(0, elapsed / r.FramesDone * (total - r.FramesDone));
        }
        return new Progress
        {
            SegmentsTotal = (uint)r.SegmentCount,
            SegmentsDone = (uint)r.SegmentsDone,
            FramesTotal = (ulong)total,
            FramesDone = (ulong)Math.Min(r.FramesDone, total),
            EtaSeconds = r.State == State.RenderState.Succeeded ? 0 : eta,
        };
    }
}
