using EmoFarm.Farm.Video;
using Xunit;

namespace EmoFarm.Farm.Tests.Preview;

public sealed class PreviewPlaylistTests
{
    // Chunks of 50, 46 and 37 frames at 25 fps: 2 s, 1.84 s and 1.48 s.
    private static readonly int[] Frames = [50, 46, 37];

    private static Uri Entry(int chunk) => new($"https://s3.example:9000/bucket/chunks/{chunk:D5}.ts?X-Amz-Signature=s{chunk}");

    [Fact]
    public void Build_TwoOfThreeChunks_ListsThemWithExactDurationsAndNoEnd()
    {
        var text = PreviewPlaylist.Build(Frames, 25, [Entry(0), Entry(1)]);

        Assert.Equal("""
            #EXTM3U
            #EXT-X-VERSION:3
            #EXT-X-TARGETDURATION:2
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-PLAYLIST-TYPE:EVENT
            #EXTINF:2.000000,
            https://s3.example:9000/bucket/chunks/00000.ts?X-Amz-Signature=s0
            #EXTINF:1.840000,
            https://s3.example:9000/bucket/chunks/00001.ts?X-Amz-Signature=s1

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void Build_EveryChunk_EndsThePlaylist()
    {
        var text = PreviewPlaylist.Build(Frames, 25, [Entry(0), Entry(1), Entry(2)]);

        Assert.EndsWith("""
            #EXTINF:1.480000,
            https://s3.example:9000/bucket/chunks/00002.ts?X-Amz-Signature=s2
            #EXT-X-ENDLIST

            """.ReplaceLineEndings("\n"), text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l == "#EXT-X-ENDLIST");
    }

    [Fact]
    public void Build_TargetDuration_IsTheCeilingOfThePlansLongestChunk_EvenBeforeItIsListed()
    {
        // 51 frames at 25 fps is 2.04 s: a target of 3, from the first write on, as a player must see it on every reload.
        var text = PreviewPlaylist.Build([25, 51, 30], 25, [Entry(0)]);

        Assert.Contains("\n#EXT-X-TARGETDURATION:3\n", text, StringComparison.Ordinal);
        Assert.Contains("\n#EXTINF:1.000000,\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ENDLIST", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new int[0], 0)]
    [InlineData(new[] { 1, 2 }, 0)]
    [InlineData(new[] { 0, 1, 3 }, 2)]
    [InlineData(new[] { 2, 0, 1 }, 3)]
    [InlineData(new[] { 0, 1, 2, 3, 7 }, 4)]
    public void ReadyPrefix_StopsAtTheFirstChunkNotStored(int[] stored, int expected) =>
        Assert.Equal(expected, PreviewPlaylist.ReadyPrefix(stored.ToHashSet(), chunkCount: 4));

    [Fact]
    public void Build_MoreEntriesThanChunks_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PreviewPlaylist.Build([25], 25, [Entry(0), Entry(1)]));
}
