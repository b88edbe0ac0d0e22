using System.Globalization;

namespace EmoFarm.Farm.Storage;

/// <summary>
/// Where everything of a render lives. Keys are pure functions of (render, segment, take, frame), so a redelivered
/// segment overwrites exactly what an earlier attempt wrote and never duplicates a frame.
/// </summary>
public static class BlobKeys
{
    public static string Portrait(string renderId) => $"renders/{renderId}/input/portrait.png";
    public static string OriginalAudio(string renderId) => $"renders/{renderId}/input/audio";
    public static string AudioSlice(string renderId, int segment) => $"renders/{renderId}/audio/segment-{D(segment, 5)}.f32";
    public static string SeamAudioSlice(string renderId, int seam) => $"renders/{renderId}/audio/seam-{D(seam, 5)}.f32";
    public static string Frame(string renderId, int segment, int frame, int take = 0) => $"{Take(renderId, segment, take)}/frames/{D(frame, 7)}.png";
    public static string SegmentLatents(string renderId, int segment, int clip, int take = 0) => $"{Take(renderId, segment, take)}/latents/clip-{D(clip, 5)}.f32";
    public static string SeamContinuationFrame(string renderId, int seam, int frame) => $"renders/{renderId}/seams/{D(seam, 5)}/continuation/{D(frame, 7)}.png";
    public static string SeamFrame(string renderId, int seam, int frame) => $"renders/{renderId}/seams/{D(seam, 5)}/frames/{D(frame, 7)}.png";
    public static string Output(string renderId) => $"renders/{renderId}/output/render.mp4";

    // A retake writes beside the first take, never over it: the best take is chosen after all are measured.
    private static string Take(string renderId, int segment, int take) =>
        take == 0 ? $"renders/{renderId}/segments/{D(segment, 5)}" : $"renders/{renderId}/segments/{D(segment, 5)}/take-{D(take, 2)}";

    private static string D(int value, int digits) => value.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
}
