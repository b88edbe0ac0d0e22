using System.Globalization;
using System.Text;

namespace EmoFarm.Farm.Video;

/// <summary>
/// The text of the live preview: an HLS media playlist (version 3, MPEG-TS segments) of a render's chunks, from chunk
/// 0 up to the first one not stored. Pure, so the exact text is testable; <see cref="PreviewWriter"/> does the I/O.
/// </summary>
public static class PreviewPlaylist
{
    public const string ContentType = "application/vnd.apple.mpegurl";

    /// <summary>How many chunks, from chunk 0, are stored without a gap: the part of the video a player may play.</summary>
    public static int ReadyPrefix(IReadOnlySet<int> storedChunks, int chunkCount)
    {
        var ready = 0;
        while (ready < chunkCount && storedChunks.Contains(ready))
            ready++;
        return ready;
    }

    /// <param name="chunkFrames">Every chunk's frame count, in order: the whole plan, not only what is stored.</param>
    /// <param name="fps">Frames per second of the render.</param>
    /// <param name="entries">The URIs of the first chunks, as many as are listed.</param>
    public static string Build(IReadOnlyList<int> chunkFrames, int fps, IReadOnlyList<Uri> entries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fps, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(entries.Count, chunkFrames.Count, nameof(entries));
        var text = new StringBuilder();
        text.Append("#EXTM3U\n#EXT-X-VERSION:3\n");
        // From the whole plan, not from what is listed yet: a player must see the same target on every reload.
        var longest = chunkFrames.Count == 0 ? 0 : chunkFrames.Max();
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{(longest + fps - 1) / fps}\n");
        // EVENT: chunks are only ever added at the end. Re-signed URIs do not count as a change of the segments,
        // which players track by their sequence number.
        text.Append("#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:EVENT\n");
        for (var i = 0; i < entries.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"#EXTINF:{(double)chunkFrames[i] / fps:0.000000},\n");
            text.Append(entries[i].AbsoluteUri).Append('\n');
        }
        if (entries.Count == chunkFrames.Count)
            text.Append("#EXT-X-ENDLIST\n");
        return text.ToString();
    }
}
