using System.Numerics;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace EmoFarm.Faces.Identity;

/// <summary>
/// insightface 0.7.3's <c>RetinaFace</c> class (the router's choice for every detector, SCRFD included) as
/// FaceAnalysis prepares it: <c>detect(img, max_num, metric='default')</c> with det_thresh 0.5 and NMS 0.4, in
/// float32 exactly as its numpy code computes. See <see cref="FaceNms"/> for the ordering and suppression.
/// </summary>
internal sealed class ScrfdDetector : IDisposable
{
    public const float ScoreThreshold = 0.5f, NmsThreshold = 0.4f;

    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly string[] outputNames;
    private readonly int fmc, anchors;
    private readonly int[] strides;

    public ScrfdDetector(InferenceSession session, OnnxModelDescription model, int detSize)
    {
        this.session = session;
        Model = model;
        inputName = model.Inputs[0].Name;
        outputNames = [.. model.Outputs.Select(o => o.Name)];
        // _init_vars: 6 and 9 outputs are 3 strides with 2 anchors, 10 and 15 are 5 strides with 1; 9 and 15 have keypoints.
        (fmc, strides, anchors, UsesKeypoints) = model.Outputs.Count switch
        {
            6 => (3, new[] { 8, 16, 32 }, 2, false),
            9 => (3, [8, 16, 32], 2, true),
            10 => (5, [8, 16, 32, 64, 128], 1, false),
            15 => (5, [8, 16, 32, 64, 128], 1, true),
            var n => throw new InvalidDataException($"{model.Path}: RetinaFace decodes 6, 9, 10 or 15 outputs, not {n}"),
        };
        // A fixed input size wins over prepare(det_size=...), which then only prints a warning.
        InputSize = model.Inputs[0].Dim(3) is { } w && model.Inputs[0].Dim(2) is { } h ? ((int)w, (int)h) : (detSize, detSize);
    }

    public OnnxModelDescription Model { get; }

    public bool UsesKeypoints { get; }

    public (int Width, int Height) InputSize { get; }

    public IReadOnlyList<DetectedFace> Detect(RgbImage image, int maxNum = 0)
    {
        var (inW, inH) = InputSize;
        var canvas = Letterbox(image, inW, inH, out var detScale);
        var blob = NchwBlob.FromRgb(canvas, inW, inH, 127.5, 128.0);
        using var input = OrtValue.CreateTensorValueFromMemory(blob, [1, 3, inH, inW]);
        using var options = new RunOptions();
        using var results = session.Run(options, [inputName], [input], outputNames);
        var outputs = results.ToList();

        var candidates = new List<DetectedFace>();
        for (var level = 0; level < strides.Length; level++)
            Decode(outputs[level], outputs[level + fmc], UsesKeypoints ? outputs[level + (2 * fmc)] : null, level, inW, inH, candidates);

        // bboxes / det_scale and kpss / det_scale: float32 arrays divided by a Python float stay float32.
        var scale = (float)detScale;
        var scaled = candidates.Select(c => new DetectedFace(c.X1 / scale, c.Y1 / scale, c.X2 / scale, c.Y2 / scale, c.Score,
            c.Keypoints?.Select(p => new Vector2(p.X / scale, p.Y / scale)).ToArray())).ToList();
        var kept = FaceNms.Run(FaceNms.ByScoreDescending(scaled), NmsThreshold);
        return maxNum > 0 && kept.Count > maxNum ? FaceNms.MostCentral(kept, maxNum, image.Width, image.Height) : kept;
    }

    /// <summary>
    /// RetinaFace.detect's canvas: the image resized by cv2.resize to fit <paramref name="width"/>×<paramref name="height"/>
    /// keeping its aspect (sizes truncated as Python's int() does), top-left, on zeros.
    /// </summary>
    public static byte[] Letterbox(RgbImage image, int width, int height, out double detScale)
    {
        var imRatio = (double)image.Height / image.Width;
        var modelRatio = (double)height / width;
        var (newW, newH) = imRatio > modelRatio ? ((int)(height / imRatio), height) : (width, (int)(width * imRatio));
        if (newW <= 0 || newH <= 0)
            throw new ArgumentException($"a {image.Width}×{image.Height} image letterboxes to {newW}×{newH} in the detector's {width}×{height}", nameof(image));
        detScale = (double)newH / image.Height;
        var resized = OpenCvResize.Linear(image.Pixels, image.Width, image.Height, newW, newH);
        var canvas = new byte[width * height * 3];
        for (var y = 0; y < newH; y++)
            resized.AsSpan(y * newW * 3, newW * 3).CopyTo(canvas.AsSpan(y * width * 3));
        return canvas;
    }

    private void Decode(OrtValue scores, OrtValue boxes, OrtValue? keypoints, int level, int inW, int inH, List<DetectedFace> into)
    {
        var stride = strides[level];
        var (height, width) = (inH / stride, inW / stride);
        var rows = height * width * anchors;
        var s = Rows(scores, rows, 1, level);
        var b = Rows(boxes, rows, 4, level + fmc);
        var k = keypoints is null ? default : Rows(keypoints, rows, 10, level + (2 * fmc));
        for (var r = 0; r < rows; r++)
        {
            if (!(s[r] >= ScoreThreshold)) continue;
            // Anchor centres (x·stride, y·stride) for (y, x, anchor) rows; predictions are in strides.
            var cell = r / anchors;
            var (cx, cy) = ((float)(cell % width * stride), (float)(cell / width * stride));
            var d = b.Slice(r * 4, 4);
            var kps = keypoints is null ? null : new Vector2[5];
            for (var i = 0; kps is not null && i < 5; i++)
                kps[i] = new Vector2(cx + (k[(r * 10) + (2 * i)] * stride), cy + (k[(r * 10) + (2 * i) + 1] * stride));
            into.Add(new DetectedFace(cx - (d[0] * stride), cy - (d[1] * stride), cx + (d[2] * stride), cy + (d[3] * stride), s[r], kps));
        }
    }

    private ReadOnlySpan<float> Rows(OrtValue value, int rows, int columns, int output)
    {
        var shape = value.GetTensorTypeAndShape().Shape;
        if (shape.Length != 2 || shape[0] != rows || shape[1] != columns)
        {
            throw new InvalidDataException(
                $"{Model.Path}: output {output} ({outputNames[output]}) is [{string.Join(", ", shape)}], not the [{rows}, {columns}] " +
                "that RetinaFace reads at this stride for this input size");
        }

        return value.GetTensorDataAsSpan<float>();
    }

    public void Dispose() => session.Dispose();
}
