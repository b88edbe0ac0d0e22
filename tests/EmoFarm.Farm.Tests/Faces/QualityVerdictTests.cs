using EmoFarm.Contracts;
using EmoFarm.Farm.Faces;
using EmoFarm.Farm.State;
using Xunit;

namespace EmoFarm.Farm.Tests.Faces;

/// <summary>The shortfall that ranks retakes agrees with the flags people read, and orders takes by how far they miss.</summary>
public sealed class QualityVerdictTests
{
    private static readonly QualityOptions Limits = new();

    private static SegmentQuality Take(double faceShare, double? identity, double lipSync) => new(0, faceShare, identity, identity, lipSync, 0, 0.01);

    public static TheoryData<double, double?, double> Takes => new()
    {
        { 1.0, 0.95, 0.5 },   // passes everything
        { 0.95, 0.81, 0.21 }, // just passes
        { 0.5, 0.95, 0.5 },   // face lost in half the frames
        { 1.0, 0.6, 0.5 },    // someone else
        { 1.0, 0.95, 0.05 },  // mouth out of time
        { 0.0, null, 0.0 },   // no face at all: identity and lip-sync cannot be measured
    };

    [Theory]
    [MemberData(nameof(Takes))]
    public void Shortfall_IsZeroExactlyWhenNothingIsFlagged(double faceShare, double? identity, double lipSync)
    {
        var take = Take(faceShare, identity, lipSync);
        var flags = QualityVerdict.Flags(new RenderQuality([take], [], [take]), Limits);
        Assert.Equal(flags.Count == 0, QualityVerdict.Shortfall(take, Limits) == 0);
    }

    [Fact]
    public void Shortfall_GrowsWithEachCheckMissedAndWithHowFar()
    {
        var identityOnly = QualityVerdict.Shortfall(Take(1, 0.7, 0.5), Limits);
        var identityAndSync = QualityVerdict.Shortfall(Take(1, 0.7, 0.0), Limits);
        var identityFarther = QualityVerdict.Shortfall(Take(1, 0.4, 0.5), Limits);
        var noFace = QualityVerdict.Shortfall(Take(0, null, 0), Limits);
        Assert.True(identityOnly > 0);
        Assert.True(identityAndSync > identityOnly);
        Assert.True(identityFarther > identityOnly);
        Assert.Equal(Limits.MinFaceShare, noFace, 12);
    }
}
