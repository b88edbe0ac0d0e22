using EmoFarm.Api.V1;

namespace EmoFarm.Farm.Tests.Corpus;

/// <summary>
/// One out-of-range value for one parameter: NaN, ±Inf, negative, huge, or just past a documented limit. Every value
/// drawn here is invalid by the proto's own comments, so each must be refused naming its field.
/// </summary>
internal static class ParameterFuzz
{
    /// <summary>A parameter and how to break it: returns the field a refusal must name.</summary>
    public sealed record Target(string Name, Func<Random, RenderParameters, string> Break);

    public static readonly Target[] Targets =
    [
        Float("guidance_scale", (p, v) => p.GuidanceScale = v, 1, 20),
        Float("reference_guidance_scale", (p, v) => p.ReferenceGuidanceScale = v, 1, 20),
        Float("head_motion_speed", (p, v) => p.HeadMotionSpeed = v, 0.1f, 4),
        Float("pose_weight", (p, v) => p.PoseWeight = v, 0, 4, zeroIsValid: true),
        Float("face_weight", (p, v) => p.FaceWeight = v, 0, 4, zeroIsValid: true),
        Float("lip_weight", (p, v) => p.LipWeight = v, 0, 4, zeroIsValid: true),
        new("face_expand_ratio", (r, p) => { p.FaceExpandRatio = BadDouble(r, 1, 3); return "parameters.face_expand_ratio"; }),
        new("framing.expand", (r, p) => { (p.Framing ??= new()).Expand = BadFloat(r, 1.2f, 4); return "parameters.framing.expand"; }),
        new("framing.face_box", (r, p) => { (p.Framing ??= new()).FaceBox = BadBox(r); return "parameters.framing.face_box"; }),
        Unsigned("fps", (p, v) => p.Fps = v, 1, 60),
        Unsigned("width", (p, v) => p.Width = v, 64, 1024, multipleOf64: true),
        Unsigned("height", (p, v) => p.Height = v, 64, 1024, multipleOf64: true),
        Unsigned("sampling_steps", (p, v) => p.SamplingSteps = v, 1, 200),
        Unsigned("segment_frames", (p, v) => p.SegmentFrames = v, 8, 2000),
        // With the default 100 frames a segment, more than half of it is out of range, up to uint's maximum.
        Unsigned("overlap_frames", (p, v) => p.OverlapFrames = v, 1, 50),
        new("priority", (r, p) => { p.Priority = r.Next(2) == 0 ? -r.Next(1, int.MaxValue) : r.Next(10, int.MaxValue); return "parameters.priority"; }),
        new("seam_strategy", (r, p) => { p.SeamStrategy = (SeamStrategy)(r.Next(2) == 0 ? -r.Next(1, int.MaxValue) : r.Next(3, int.MaxValue)); return "parameters.seam_strategy"; }),
    ];

    private static Target Float(string name, Action<RenderParameters, float> set, float min, float max, bool zeroIsValid = false) =>
        new(name, (r, p) =>
        {
            set(p, BadFloat(r, min, max, zeroIsValid));
            return "parameters." + name;
        });

    private static Target Unsigned(string name, Action<RenderParameters, uint> set, uint min, uint max, bool multipleOf64 = false) =>
        new(name, (r, p) =>
        {
            uint value = r.Next(multipleOf64 ? 4 : 3) switch
            {
                0 => uint.MaxValue - (uint)r.Next(3),
                1 => max + 1 + (uint)r.Next(1000),
                2 when min > 1 => (uint)r.Next(1, (int)min),
                2 => (uint)r.NextInt64(int.MaxValue + 1L, uint.MaxValue),
                // Not a multiple of 64, but inside the range.
                _ => (uint)(64 * r.Next(1, 16) + r.Next(1, 64)),
            };
            set(p, value);
            return "parameters." + name;
        });

    /// <summary>Outside [min, max]: NaN, ±Inf, negative, huge, or a little past either end (0 is "the default").</summary>
    public static float BadFloat(Random r, float min, float max, bool zeroIsValid = false) => r.Next(6) switch
    {
        0 => float.NaN,
        1 => float.PositiveInfinity,
        2 => float.NegativeInfinity,
        3 => -(float)Math.Pow(10, r.NextDouble() * 12 - 3),
        4 => max * (1.01f + (float)r.NextDouble() * 1e6f),
        // Between 0 and min, exclusive: only where that gap exists; else the largest float.
        _ => min > 0 && !zeroIsValid ? min * (0.05f + 0.9f * (float)r.NextDouble()) : float.MaxValue,
    };

    public static double BadDouble(Random r, double min, double max) => r.Next(6) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => double.NegativeInfinity,
        3 => -Math.Pow(10, r.NextDouble() * 12 - 3),
        4 => max * (1.01 + r.NextDouble() * 1e6),
        _ => min * r.NextDouble() * 0.99,
    };

    /// <summary>Not finite, too small, or lying outside any image (the seeds are 96x96).</summary>
    public static PixelBox BadBox(Random r) => r.Next(5) switch
    {
        0 => new PixelBox { X = float.NaN, Y = 10, Width = 40, Height = 40 },
        1 => new PixelBox { X = 10, Y = float.PositiveInfinity, Width = 40, Height = 40 },
        2 => new PixelBox { X = 10, Y = 10, Width = -r.Next(1, 1000), Height = 40 },
        3 => new PixelBox { X = 10, Y = 10, Width = 40, Height = r.Next(0, 16) },
        _ => new PixelBox { X = r.Next(2) == 0 ? -r.Next(1, 1000) : 97 + r.Next(1_000_000), Y = 10, Width = 40, Height = 40 },
    };
}
