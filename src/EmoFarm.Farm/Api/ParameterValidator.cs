using EmoFarm.Api.V1;
using EmoFarm.Contracts;
using EmoFarm.Faces;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Submission;

namespace EmoFarm.Farm.Api;

/// <summary>Turns the client's parameters into a <see cref="RenderSpec"/>: zero means the default, anything else is range-checked.</summary>
public static class ParameterValidator
{
    public const int DefaultFps = 25, DefaultSize = 512, DefaultSteps = 40, DefaultSegmentFrames = 100, DefaultOverlapFrames = 6;
    public const float DefaultGuidance = 3.5f, DefaultRegionWeight = 1f, MaxRegionWeight = 4f;
    public const double DefaultFaceExpandRatio = 1.2, MinFaceExpandRatio = 1, MaxFaceExpandRatio = 3;

    /// <param name="defaults">The server's defaults for Hallo's controls; null for Hallo's own.</param>
    public static RenderSpec Validate(RenderParameters? p, List<FieldViolation> violations, RenderDefaults? defaults = null)
    {
        p ??= new RenderParameters();
        defaults ??= new RenderDefaults();
        int Range(string field, uint value, int fallback, int min, int max)
        {
            if (value == 0)
                return fallback;
            if (value < min || value > max)
                violations.Add(new($"parameters.{field}", $"{value} is outside {min}..{max}"));
            return (int)value;
        }
        float FloatRange(string field, float value, float fallback, float min, float max)
        {
            if (value == 0)
                return fallback;
            if (!float.IsFinite(value) || value < min || value > max)
                violations.Add(new($"parameters.{field}", $"{value} is outside {min}..{max}"));
            return value;
        }

        var fps = Range("fps", p.Fps, DefaultFps, 1, 60);
        var width = Range("width", p.Width, DefaultSize, 64, 1024);
        var height = Range("height", p.Height, DefaultSize, 64, 1024);
        foreach (var (field, value) in new[] { ("width", width), ("height", height) })
        {
            if (value % 64 != 0)
                violations.Add(new($"parameters.{field}", $"{value} is not a multiple of 64 (the UNet downsamples latents 3 times)"));
        }

        var steps = Range("sampling_steps", p.SamplingSteps, DefaultSteps, 1, 200);
        var guidance = FloatRange("guidance_scale", p.GuidanceScale, DefaultGuidance, 1, 20);
        var referenceGuidance = FloatRange("reference_guidance_scale", p.ReferenceGuidanceScale, guidance, 1, 20);
        var speed = FloatRange("head_motion_speed", p.HeadMotionSpeed, 0, 0.1f, 4);
        // Hallo's pose/face/lip weights: presence-tracked, because 0 is a real value (the branch off).
        float Weight(string field, bool given, float value, float fallback)
        {
            if (!given)
                return fallback;
            if (!float.IsFinite(value) || value < 0 || value > MaxRegionWeight)
                violations.Add(new($"parameters.{field}", $"{value} is outside 0..{MaxRegionWeight}"));
            return value;
        }
        var pose = Weight("pose_weight", p.HasPoseWeight, p.PoseWeight, defaults.PoseWeight);
        var face = Weight("face_weight", p.HasFaceWeight, p.FaceWeight, defaults.FaceWeight);
        var lip = Weight("lip_weight", p.HasLipWeight, p.LipWeight, defaults.LipWeight);
        var faceExpand = p.HasFaceExpandRatio ? p.FaceExpandRatio : defaults.FaceExpandRatio;
        if (!double.IsFinite(faceExpand) || faceExpand < MinFaceExpandRatio || faceExpand > MaxFaceExpandRatio)
            violations.Add(new("parameters.face_expand_ratio", $"{faceExpand} is outside {MinFaceExpandRatio}..{MaxFaceExpandRatio}"));
        var segment = Range("segment_frames", p.SegmentFrames, DefaultSegmentFrames, 8, 2000);
        // Compared as the uint it is: cast to int first, 4294967295 became -1, passed, and threw in the planner.
        long requestedOverlap = p.OverlapFrames == 0 ? Math.Min(DefaultOverlapFrames, segment / 2) : p.OverlapFrames;
        if (requestedOverlap > segment / 2)
            violations.Add(new("parameters.overlap_frames", $"{requestedOverlap} exceeds half of segment_frames ({segment / 2})"));
        var overlap = (int)Math.Min(requestedOverlap, segment / 2);
        if (p.Priority is < 0 or > 9)
            violations.Add(new("parameters.priority", $"{p.Priority} is outside 0..9"));
        var seam = p.SeamStrategy switch
        {
            SeamStrategy.Unspecified or SeamStrategy.MotionFrames => SeamStrategyKind.MotionFrames,
            SeamStrategy.Crossfade => SeamStrategyKind.Crossfade,
            _ => Unknown(violations, (int)p.SeamStrategy),
        };

        return new RenderSpec
        {
            Model = new ModelSettings
            {
                Fps = fps,
                Width = width,
                Height = height,
                Steps = steps,
                GuidanceScale = guidance,
                ReferenceGuidanceScale = referenceGuidance,
                HeadMotionSpeed = speed,
                PoseWeight = pose,
                FaceWeight = face,
                LipWeight = lip,
                FaceExpandRatio = faceExpand,
            },
            Seed = p.Seed,
            SegmentFrames = segment,
            OverlapFrames = overlap,
            SeamStrategy = seam,
            Priority = p.Priority,
            SeparateVocals = p.HasSeparateVocals ? p.SeparateVocals : defaults.SeparateVocals,
        };
    }

    /// <summary>The client's framing choices; the face box is checked against the image later, once its size is known.</summary>
    public static FramingRequest ValidateFraming(Framing? f, List<FieldViolation> violations)
    {
        if (f is null)
            return FramingRequest.Default;
        double? expand = f.Expand == 0 ? null : f.Expand;
        if (expand is { } e && (!double.IsFinite(e) || e < 1.2 || e > 4))
            violations.Add(new("parameters.framing.expand", $"{e} is outside 1.2..4"));
        FaceBox? box = null;
        if (f.FaceBox is { } b)
        {
            if (!float.IsFinite(b.X) || !float.IsFinite(b.Y) || !(b.Width >= 16) || !(b.Height >= 16))
                violations.Add(new("parameters.framing.face_box", $"({b.X}, {b.Y}) {b.Width}x{b.Height} must be finite, at least 16x16 pixels"));
            else
                box = new FaceBox(b.X, b.Y, b.Width, b.Height);
        }
        return new FramingRequest(box, f.LargestFace, expand);
    }

    private static SeamStrategyKind Unknown(List<FieldViolation> violations, int value)
    {
        violations.Add(new("parameters.seam_strategy", $"{value} is not a known value (CROSSFADE = 1, MOTION_FRAMES = 2)"));
        return SeamStrategyKind.Crossfade;
    }
}
