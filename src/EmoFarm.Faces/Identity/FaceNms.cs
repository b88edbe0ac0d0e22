namespace EmoFarm.Faces.Identity;

/// <summary>
/// The ordering and suppression of RetinaFace.detect and RetinaFace.nms, in float32 as numpy computes them.
/// numpy's <c>argsort()[::-1]</c> is descending; for equal keys this takes the later index first (the order a
/// stable sort reversed gives, which is numpy's for short arrays). Longer arrays with ties are sorted by numpy's
/// introsort, or from numpy 1.25 by AVX-512 code, so no port can promise their order: a real detector's float
/// scores practically never tie, and the parity fixture is checked to have no ties.
/// </summary>
internal static class FaceNms
{
    public static List<DetectedFace> ByScoreDescending(IReadOnlyList<DetectedFace> faces) =>
        [.. Descending(faces.Select(f => f.Score).ToArray()).Select(i => faces[i])];

    /// <summary>Greedy NMS over faces already in descending score order; keeps those with IoU ≤ threshold.</summary>
    public static List<DetectedFace> Run(List<DetectedFace> faces, float threshold)
    {
        var areas = faces.Select(f => (f.X2 - f.X1 + 1) * (f.Y2 - f.Y1 + 1)).ToArray();
        var order = Descending(faces.Select(f => f.Score).ToArray()).ToList();
        var keep = new List<DetectedFace>();
        while (order.Count > 0)
        {
            var i = order[0];
            var a = faces[i];
            keep.Add(a);
            var next = new List<int>(order.Count);
            for (var n = 1; n < order.Count; n++)
            {
                var j = order[n];
                var b = faces[j];
                var w = MathF.Max(0f, MathF.Min(a.X2, b.X2) - MathF.Max(a.X1, b.X1) + 1);
                var h = MathF.Max(0f, MathF.Min(a.Y2, b.Y2) - MathF.Max(a.Y1, b.Y1) + 1);
                var inter = w * h;
                var ovr = inter / (areas[i] + areas[j] - inter);
                if (ovr <= threshold) next.Add(j);
            }

            order = next;
        }

        return keep;
    }

    /// <summary>detect's max_num with metric 'default': area minus twice the squared distance from the image centre.</summary>
    public static List<DetectedFace> MostCentral(List<DetectedFace> faces, int maxNum, int imageWidth, int imageHeight)
    {
        var (cx, cy) = (imageWidth / 2, imageHeight / 2);
        var values = faces.Select(f =>
        {
            var (ox, oy) = (((f.X1 + f.X2) / 2) - cx, ((f.Y1 + f.Y2) / 2) - cy);
            return f.Area - (((ox * ox) + (oy * oy)) * 2f);
        }).ToArray();
        return [.. Descending(values).Take(maxNum).Select(i => faces[i])];
    }

    private static int[] Descending(float[] keys)
    {
        var order = Enumerable.Range(0, keys.Length).ToArray();
        Array.Sort(order, (x, y) => keys[y] != keys[x] ? keys[y].CompareTo(keys[x]) : y.CompareTo(x));
        return order;
    }
}
