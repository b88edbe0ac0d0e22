using System.Globalization;
using EmoFarm.Faces.Mesh;
using TorchSharp;
using Xunit;

namespace EmoFarm.Faces.Tests;

/// <summary>
/// Our face mesh against TensorFlow.js running the same graph, with human's own crop and mapping: the raw graph on
/// the same input tensor, the crop itself, and the landmarks in image pixels, upright and turned.
/// </summary>
[Collection("FaceMesh")]
public sealed class FaceMeshParityTests(FaceMeshReference reference) : IDisposable
{
    // fp32 through ~60 convolutions in two libraries' summation orders. The mesh's coordinates span 0..192, so this
    // is ~5e-6 of their range; measured here: 1.7e-4 (mesh), 1.4e-4 (contours).
    private const double GraphTolerance = 1e-3;

    // The face flag is a sigmoid in 0..1; measured here: 3.6e-7.
    private const double FlagTolerance = 1e-5;

    // Image pixels: the raw coordinates' difference times the crop's scale (box / 192, below 1 here); measured 1.3e-4.
    private const double LandmarkTolerance = 1e-3;

    private readonly FaceMesh mesh = FaceMesh.Load(FaceApiPackage.FaceMeshModels);

    [Fact]
    public void Run_TensorFlowJsInputs_MatchesItsRawOutputs()
    {
        var output = TestContext.Current.TestOutputHelper;
        var count = reference.Inputs.Count;
        var actual = mesh.Run([.. reference.Inputs.SelectMany(i => i)], count);
        var (worstMesh, worstFlag, worstContour) = (0.0, 0.0, 0.0);
        for (var f = 0; f < count; f++)
        {
            var expected = reference.Results[f];
            worstMesh = Math.Max(worstMesh, MaxDifference(actual.Mesh.AsSpan(f * 1404, 1404), expected.RawMesh));
            worstContour = Math.Max(worstContour, MaxDifference(actual.Contours.AsSpan(f * 266, 266), expected.Contours));
            worstFlag = Math.Max(worstFlag, Math.Abs(actual.FaceFlag[f] - expected.Confidence));
        }

        output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count} faces (tfjs {reference.TfjsVersion}, {reference.Milliseconds} ms in Node): largest |Δ| mesh {worstMesh:0.###e+0} (of 0..192), face flag {worstFlag:0.###e+0}, contours {worstContour:0.###e+0}"));
        Assert.True(worstMesh < GraphTolerance, $"mesh outputs differ by up to {worstMesh}");
        Assert.True(worstContour < GraphTolerance, $"contour outputs differ by up to {worstContour}");
        Assert.True(worstFlag < FlagTolerance, $"face flags differ by up to {worstFlag}");
        Assert.Contains(reference.Results, r => r.Confidence > 0.9); // real faces, not a degenerate agreement
    }

    [Fact]
    public void Sample_DetectorBoxes_EqualsHumansCropAndInput()
    {
        var worst = 0.0;
        for (var f = 0; f < reference.Faces.Count; f++)
        {
            var face = reference.Faces[f];
            var expected = reference.Results[f];
            var crop = FaceMeshCrop.For(face.Box, face.Line);
            Assert.Equal(new FaceBox(expected.Crop.StartPoint[0], expected.Crop.StartPoint[1],
                expected.Crop.EndPoint[0] - expected.Crop.StartPoint[0], expected.Crop.EndPoint[1] - expected.Crop.StartPoint[1]), crop.Box);
            Assert.Equal(expected.Rotated, crop.Rotated);
            Assert.Equal(expected.Angle, crop.Angle, 1e-12);
            worst = Math.Max(worst, MaxDifference(crop.Sample(reference.Images[face.Image]), reference.Inputs[f]));
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"largest input difference {worst}"));
        Assert.Equal(0, worst);
        Assert.Contains(reference.Results, r => r.Rotated);
        Assert.Contains(reference.Results, r => !r.Rotated);
    }

    [Fact]
    public void Detect_DetectorBoxes_MatchesHumansLandmarks()
    {
        var output = TestContext.Current.TestOutputHelper;
        var (worstFine, worstHuman) = (0.0, 0.0);
        for (var f = 0; f < reference.Faces.Count; f++)
        {
            var face = reference.Faces[f];
            var expected = reference.Results[f];
            var actual = mesh.Detect(reference.Images[face.Image], face.Box, face.Line);
            Assert.Equal(FaceMesh.PointCount, actual.Points.Count);
            Assert.Equal(FaceMesh.ModelName, actual.Model);
            var fine = 0.0;
            for (var k = 0; k < FaceMesh.PointCount; k++)
            {
                var point = actual.Points[k];
                fine = Math.Max(fine, Math.Max(Math.Abs(point.X - expected.MeshUnrounded[k][0]), Math.Abs(point.Y - expected.MeshUnrounded[k][1])));
                // Human truncates to whole pixels (towards zero), so its value lies within one pixel of ours.
                worstHuman = Math.Max(worstHuman, Math.Max(Math.Abs(point.X - expected.Mesh[k][0]), Math.Abs(point.Y - expected.Mesh[k][1])));
                Assert.Equal(expected.Z[k], point.Z, GraphTolerance);
            }

            worstFine = Math.Max(worstFine, fine);
            Assert.True(Math.Abs(actual.Confidence - expected.Confidence) < FlagTolerance, $"face {f}: confidence {actual.Confidence}, human {expected.Confidence}");
            output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"face {f}: box {face.Box}, crop {actual.Crop.Box}{(actual.Crop.Rotated ? $" turned {actual.Crop.Angle:0.###} rad" : "")}, confidence {actual.Confidence:0.####}, largest landmark |Δ| {fine:0.###e+0} px"));
        }

        output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"largest |Δ| against human's unrounded landmarks {worstFine:0.###e+0} px, against its truncated ones {worstHuman:0.###} px"));
        Assert.True(worstFine < LandmarkTolerance, $"landmarks differ from human's by up to {worstFine} px");
        Assert.True(worstHuman < 1 + LandmarkTolerance, $"landmarks differ from human's truncated ones by up to {worstHuman} px");
    }

    [Fact]
    public void Detect_TurnedFaceWithItsLine_FindsTheUprightLandmarksTurned()
    {
        // The turned copies' faces, turned upright by their line, must land where the upright photo's landmarks
        // land after the same turn: the rotation path is consistent, not just equal to human's.
        for (var t = 0; t < FaceMeshReference.Turns.Length; t++)
        {
            var turnedFace = reference.Faces[reference.Faces.Count - FaceMeshReference.Turns.Length + t];
            var upright = reference.Faces.First(f => f.Image == t);
            var turn = FaceMeshReference.Turns[t];
            var straight = mesh.Detect(reference.Images[t], upright.Box);
            var turned = mesh.Detect(reference.Images[turnedFace.Image], turnedFace.Box, turnedFace.Line);
            var (cx, cy) = (upright.Box.CentreX, upright.Box.CentreY);
            var mean = straight.Points.Zip(turned.Points, (s, r) =>
            {
                var (dx, dy) = (s.X - cx, s.Y - cy);
                var (x, y) = (cx + (dx * Math.Cos(turn)) - (dy * Math.Sin(turn)), cy + (dx * Math.Sin(turn)) + (dy * Math.Cos(turn)));
                return Math.Sqrt(((x - r.X) * (x - r.X)) + ((y - r.Y) * (y - r.Y)));
            }).Average();
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"turn {turn} rad: mean distance {mean:0.##} px ({100 * mean / upright.Box.Width:0.#} % of the box width)"));
            Assert.True(mean < 0.05 * upright.Box.Width, $"turn {turn}: the turned face's landmarks are {mean} px from the upright ones turned");
        }
    }

    [Fact]
    public void Detect_RepeatedCalls_LiveTensorCountStaysFlat()
    {
        var face = reference.Faces[0];
        mesh.Detect(reference.Images[face.Image], face.Box);
        var baseline = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 3; i++) mesh.Detect(reference.Images[face.Image], face.Box);
        Assert.Equal(baseline, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    public void Dispose() => mesh.Dispose();

    private static double MaxDifference(ReadOnlySpan<float> actual, float[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0.0;
        for (var i = 0; i < actual.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        return worst;
    }
}
