using CsCheck;
using EmoFarm.Farm.Planning;
using Xunit;

namespace EmoFarm.Farm.Tests.Planning;

public sealed class SegmentPlannerTests
{
    private static readonly Gen<(int Total, int Segment, int Overlap)> Plans =
        Gen.Select(Gen.Int[1, 20_000], Gen.Int[1, 500], Gen.Int[0, 499]).Where(p => p.Item3 < p.Item2);

    [Fact]
    public void Plan_AnyLengths_CoversEveryFrameInOrder()
    {
        Plans.Sample((total, segment, overlap) =>
        {
            var segments = SegmentPlanner.Plan(total, segment, overlap);
            var covered = new int[total];
            foreach (var s in segments)
            {
                for (var f = s.FirstFrame; f < s.EndFrame; f++)
                    covered[f]++;
            }
            // With O at most S/2 (what the API allows) no frame is rendered more than twice.
            Assert.All(covered, c => Assert.InRange(c, 1, overlap * 2 <= segment ? 2 : int.MaxValue));
            Assert.Equal(0, segments[0].FirstFrame);
            Assert.Equal(total, segments[^1].EndFrame);
            Assert.All(segments, s => Assert.InRange(s.FrameCount, 1, segment));
            Assert.Equal(Enumerable.Range(0, segments.Count), segments.Select(s => s.Index));
        });
    }

    [Fact]
    public void Plan_AnyLengths_OverlapsAreExactlyO()
    {
        Plans.Sample((total, segment, overlap) =>
        {
            var segments = SegmentPlanner.Plan(total, segment, overlap);
            var seams = SegmentPlanner.Seams(segments);
            Assert.Equal(segments.Count - 1, seams.Count);
            foreach (var seam in seams)
            {
                Assert.Equal(overlap, seam.FrameCount);
                Assert.Equal(segments[seam.RightSegment].FirstFrame, seam.FirstFrame);
                Assert.Equal(segments[seam.LeftSegment].EndFrame, seam.EndFrame);
            }
            // Only the last segment may be short, and it is always longer than the overlap.
            Assert.All(segments.SkipLast(1), s => Assert.Equal(segment, s.FrameCount));
            if (segments.Count > 1)
                Assert.True(segments[^1].FrameCount > overlap);
        });
    }

    [Fact]
    public void Plan_AnyLengths_UsesTheFewestSegments()
    {
        Plans.Sample((total, segment, overlap) =>
        {
            var count = SegmentPlanner.Plan(total, segment, overlap).Count;
            var stride = segment - overlap;
            // n segments reach (n - 1) × stride + S frames; one fewer must not have been enough.
            Assert.True((long)(count - 1) * stride + segment >= total);
            Assert.True(count == 1 || (long)(count - 2) * stride + segment < total);
        });
    }

    [Fact]
    public void FrameCount_AnyDuration_CoversTheAudioWithinOneFrame()
    {
        Gen.Select(Gen.Double[0.01, 7200], Gen.Int[1, 60]).Sample((seconds, fps) =>
        {
            var frames = SegmentPlanner.FrameCount(seconds, fps);
            Assert.True(frames / (double)fps >= seconds - 1e-6);
            Assert.True(frames / (double)fps - seconds < 1.0 / fps);
        });
    }

    [Fact]
    public void FrameCount_ExactMultiple_DoesNotAddAFrame() => Assert.Equal(500, SegmentPlanner.FrameCount(20.0, 25));

    [Theory]
    [InlineData(0, 10, 2)]
    [InlineData(10, 0, 0)]
    [InlineData(10, 5, 5)]
    [InlineData(10, 5, -1)]
    public void Plan_InvalidSizes_Throws(int total, int segment, int overlap) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => SegmentPlanner.Plan(total, segment, overlap));

    [Fact]
    public void Derive_NeighbouringSegments_GetUnrelatedSeeds()
    {
        var seeds = Enumerable.Range(0, 1000).Select(i => Seeds.Derive(42, i)).ToHashSet();
        Assert.Equal(1000, seeds.Count);
        Assert.Equal(Seeds.Derive(42, 7), Seeds.Derive(42, 7));
        Assert.NotEqual(Seeds.Derive(42, 7), Seeds.Derive(43, 7));
    }
}
