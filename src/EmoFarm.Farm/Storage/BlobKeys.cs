using System.Globalization;
using EmoFarm.Farm.State;

namespace EmoFarm.Farm.Storage;

/// <summary>
/// Where everything of a render lives. Keys are pure functions of (tenant, render, segment, take, frame), so a
/// redelivered segment overwrites exactly what an earlier attempt wrote and never duplicates a frame. Everything a
/// tenant owns is under <c>tenants/{tenant}/</c>: its uploads, which it may name in a create, and its renders.
/// </summary>
public static class BlobKeys
{
    public static string Portrait(string tenant, string renderId) => $"{Render(tenant, renderId)}/input/portrait.png";
    public static string OriginalAudio(string tenant, string renderId) => $"{Render(tenant, renderId)}/input/audio";
    public static string AudioSlice(string tenant, string renderId, int segment) => $"{Render(tenant, renderId)}/audio/segment-{D(segment, 5)}.f32";
    public static string SeamAudioSlice(string tenant, string renderId, int seam) => $"{Render(tenant, renderId)}/audio/seam-{D(seam, 5)}.f32";
    public static string Frame(string tenant, string renderId, int segment, int frame, int take = 0) => $"{Take(tenant, renderId, segment, take)}/frames/{D(frame, 7)}.png";
    public static string SegmentLatents(string tenant, string renderId, int segment, int clip, int take = 0) => $"{Take(tenant, renderId, segment, take)}/latents/clip-{D(clip, 5)}.f32";
    public static string SeamContinuationFrame(string tenant, string renderId, int seam, int frame) => $"{Render(tenant, renderId)}/seams/{D(seam, 5)}/continuation/{D(frame, 7)}.png";
    public static string SeamFrame(string tenant, string renderId, int seam, int frame) => $"{Render(tenant, renderId)}/seams/{D(seam, 5)}/frames/{D(frame, 7)}.png";
    public static string Output(string tenant, string renderId) => $"{Render(tenant, renderId)}/output/render.mp4";

    /// <summary>One chunk of the video, an MPEG-TS segment (so also an HLS one) of the frames from one segment's start to the next's.</summary>
    public static string Chunk(string tenant, string renderId, int chunk) => $"{Render(tenant, renderId)}/output/chunks/{D(chunk, 5)}.ts";

    /// <summary>The live preview: an HLS playlist of the chunks finished so far (<see cref="Preview.PreviewPlaylist"/>).</summary>
    public static string Preview(string tenant, string renderId) => $"{Render(tenant, renderId)}/output/preview.m3u8";

    /// <summary>The original audio encoded once as the AAC the MP4 carries.</summary>
    public static string OutputAudio(string tenant, string renderId) => $"{Render(tenant, renderId)}/output/audio.m4a";

    /// <summary>Where a tenant's uploads go, and the only keys its creates may name.</summary>
    public static string UploadPrefix(string tenant) => $"tenants/{tenant}/uploads/";

    /// <summary>The tenant under whose <see cref="UploadPrefix"/> <paramref name="key"/> lies, or null if none.</summary>
    public static string? UploadOwner(string key)
    {
        var parts = key.Split('/');
        // Object stores treat ".." as plain characters, but a key that looks like a path escape is nobody's upload.
        if (parts.Length < 4 || parts.Contains("..") || !TenantName.IsValid(parts[1]))
            return null;
        return key.StartsWith(UploadPrefix(parts[1]), StringComparison.Ordinal) ? parts[1] : null;
    }

    public static string Render(string tenant, string renderId) => $"tenants/{tenant}/renders/{renderId}";

    // A retake writes beside the first take, never over it: the best take is chosen after all are measured.
    private static string Take(string tenant, string renderId, int segment, int take) =>
        take == 0 ? $"{Render(tenant, renderId)}/segments/{D(segment, 5)}" : $"{Render(tenant, renderId)}/segments/{D(segment, 5)}/take-{D(take, 2)}";

    private static string D(int value, int digits) => value.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
}
