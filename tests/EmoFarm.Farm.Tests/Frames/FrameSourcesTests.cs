using EmoFarm.Farm.Frames;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using Xunit;

namespace EmoFarm.Farm.Tests.Frames;

public sealed class FrameSourcesTests
{
    private const string Tenant = "t";
    private const string Id = "r";

    // 26 frames in segments of 10 overlapping by 2: [0,10) [8,18) [16,26); seams [8,10) and [16,18).
    private static List<SegmentRecord> Segments(int middleTake = 0) =>
        [.. SegmentPlanner.Plan(26, 10, 2).Select(p => new SegmentRecord(p.Index, p.FirstFrame, p.FrameCount, SegmentState.Done, p.FrameCount, 1, 1, "w", null,
            p.Index == 1 ? middleTake : 0))];

    [Fact]
    public void Keys_Reconciled_TakeSeamFramesInsideEachOverlapAndSegmentFramesElsewhere()
    {
        var keys = FrameSources.Keys(Tenant, Id, Segments(), reconciled: true);

        Assert.Equal(26, keys.Count);
        Assert.Equal(BlobKeys.Frame(Tenant, Id, 0, 7), keys[7]);
        Assert.Equal([BlobKeys.SeamFrame(Tenant, Id, 0, 8), BlobKeys.SeamFrame(Tenant, Id, 0, 9)], keys.Skip(8).Take(2));
        Assert.Equal(BlobKeys.Frame(Tenant, Id, 1, 10), keys[10]);
        Assert.Equal([BlobKeys.SeamFrame(Tenant, Id, 1, 16), BlobKeys.SeamFrame(Tenant, Id, 1, 17)], keys.Skip(16).Take(2));
        Assert.Equal(BlobKeys.Frame(Tenant, Id, 2, 25), keys[25]);
    }

    [Fact]
    public void Keys_Unreconciled_CutAtTheRightSegmentsStart()
    {
        var keys = FrameSources.Keys(Tenant, Id, Segments(), reconciled: false);

        Assert.Equal(BlobKeys.Frame(Tenant, Id, 0, 7), keys[7]);
        Assert.Equal(BlobKeys.Frame(Tenant, Id, 1, 8), keys[8]);
        Assert.Equal(BlobKeys.Frame(Tenant, Id, 2, 16), keys[16]);
    }

    [Fact]
    public void Keys_UseEachSegmentsKeptTake()
    {
        var keys = FrameSources.Keys(Tenant, Id, Segments(middleTake: 1), reconciled: true);

        Assert.Equal(BlobKeys.Frame(Tenant, Id, 1, 12, take: 1), keys[12]);
        Assert.Contains("/segments/00001/take-01/frames/", keys[12], StringComparison.Ordinal);
        Assert.Equal(BlobKeys.Frame(Tenant, Id, 0, 3), keys[3]);
        Assert.DoesNotContain("take-", keys[3], StringComparison.Ordinal);
    }
}
