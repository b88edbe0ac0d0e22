using System.CommandLine;
using System.Globalization;
using EmoFarm.Api.V1;

namespace EmoFarm.Cli.Shared;

/// <summary>The render parameters as command-line options, shared by `render` and `submit`. Zero means the server default.</summary>
internal sealed class ParameterOptions
{
    private readonly Option<uint> _fps = new("--fps") { Description = "Frames per second (default 25)" };
    private readonly Option<uint> _width = new("--width") { Description = "Output width, a multiple of 64 (default 512)" };
    private readonly Option<uint> _height = new("--height") { Description = "Output height, a multiple of 64 (default 512)" };
    private readonly Option<ulong> _seed = new("--seed") { Description = "Seed; the same inputs and seed give the same video" };
    private readonly Option<uint> _steps = new("--steps") { Description = "DDIM sampling steps (default 40)" };
    private readonly Option<float> _guidance = new("--guidance") { Description = "Classifier-free guidance scale (default 3.5)" };
    private readonly Option<float> _speed = new("--head-motion-speed") { Description = "Head-motion speed 0.1..4 (default: the model's choice)" };
    private readonly Option<uint> _segment = new("--segment-frames") { Description = "Frames per segment (default 100)" };
    private readonly Option<uint> _overlap = new("--overlap-frames") { Description = "Frames shared by neighbouring segments (default 6)" };
    private readonly Option<string> _seam = new("--seam") { Description = "Seam strategy: motion (default) or crossfade" };
    private readonly Option<int> _priority = new("--priority") { Description = "0..9, higher renders first" };
    private readonly Option<string> _faceBox = new("--face-box") { Description = "The face to frame, as x,y,width,height in the image's pixels (default: detect it)" };
    private readonly Option<bool> _largestFace = new("--largest-face") { Description = "With several faces, frame the largest instead of refusing" };
    private readonly Option<float> _expand = new("--framing-expand") { Description = "Crop side over face box side, 1.2..4 (default 1.8)" };
    private readonly Option<float?> _poseWeight = new("--pose-weight") { Description = "Hallo's pose_weight: audio's pull on the head, 0..4 (default 1)" };
    private readonly Option<float?> _faceWeight = new("--face-weight") { Description = "Hallo's face_weight: audio's pull on the expression, 0..4 (default 1)" };
    private readonly Option<float?> _lipWeight = new("--lip-weight") { Description = "Hallo's lip_weight: audio's pull on the lips, 0..4 (default 1)" };
    private readonly Option<double?> _faceExpand = new("--face-expand-ratio") { Description = "Hallo's face_expand_ratio: the face mask's box over the face's, 1..3 (default 1.2)" };
    private readonly Option<bool> _noVocalSeparation = new("--no-vocal-separation") { Description = "Drive the lips with the whole mix instead of the separated vocals" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _fps, _width, _height, _seed, _steps, _guidance, _speed, _segment, _overlap, _seam, _priority, _faceBox, _largestFace, _expand, _poseWeight, _faceWeight, _lipWeight, _faceExpand, _noVocalSeparation })
            command.Options.Add(option);
    }

    public RenderParameters Read(ParseResult result)
    {
        var parameters = Basic(result);
        // Unset stays unset (the server's 1); 0 is sent, since it switches a branch off.
        if (result.GetValue(_poseWeight) is { } pose)
            parameters.PoseWeight = pose;
        if (result.GetValue(_faceWeight) is { } face)
            parameters.FaceWeight = face;
        if (result.GetValue(_lipWeight) is { } lip)
            parameters.LipWeight = lip;
        if (result.GetValue(_faceExpand) is { } expand)
            parameters.FaceExpandRatio = expand;
        if (result.GetValue(_noVocalSeparation))
            parameters.SeparateVocals = false;
        return parameters;
    }

    private RenderParameters Basic(ParseResult result) => new()
    {
        Fps = result.GetValue(_fps),
        Width = result.GetValue(_width),
        Height = result.GetValue(_height),
        Seed = result.GetValue(_seed),
        SamplingSteps = result.GetValue(_steps),
        GuidanceScale = result.GetValue(_guidance),
        HeadMotionSpeed = result.GetValue(_speed),
        SegmentFrames = result.GetValue(_segment),
        OverlapFrames = result.GetValue(_overlap),
        SeamStrategy = result.GetValue(_seam) switch
        {
            null or "" => SeamStrategy.Unspecified,
            "motion" => SeamStrategy.MotionFrames,
            "crossfade" => SeamStrategy.Crossfade,
            var other => throw new ArgumentException($"--seam: '{other}' is not one of motion, crossfade"),
        },
        Priority = result.GetValue(_priority),
        Framing = new Framing
        {
            FaceBox = ParseBox(result.GetValue(_faceBox)),
            LargestFace = result.GetValue(_largestFace),
            Expand = result.GetValue(_expand),
        },
    };

    private static PixelBox? ParseBox(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var parts = text.Split(',');
        if (parts.Length != 4 || !parts.All(p => float.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            throw new ArgumentException($"--face-box: '{text}' is not x,y,width,height");
        var v = parts.Select(p => float.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return new PixelBox { X = v[0], Y = v[1], Width = v[2], Height = v[3] };
    }
}
