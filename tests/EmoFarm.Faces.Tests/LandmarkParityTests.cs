using System.Diagnostics;
using System.Globalization;
using EmoFarm.Faces.Landmarks;
using Xunit;

namespace EmoFarm.Faces.Tests;

/// <summary>
/// Our landmark net against face-api's, on the boxes face-api itself detected (so detector differences do not
/// enter): the 68 points and the dlib-aligned box the recognition net crops.
/// </summary>
[Collection("FaceApi")]
public sealed class LandmarkParityTests(FaceApiReference reference) : IDisposable
{
    private readonly LandmarkDetector detector = LandmarkDetector.Load(FaceApiPackage.Models);

    [Fact]
    public void Detect_FaceApiBoxes_MatchFaceApiLandmarksAndAlignedBoxes()
    {
        var output = TestContext.Current.TestOutputHelper;
        var faces = 0;
        var watch = new Stopwatch();
        var worstAligned = 0.0;
        for (var i = 0; i < reference.Photos.Count; i++)
        {
            var expected = reference.Results[i].Faces;
            var boxes = expected.Select(f => f.Box.ToFaceBox()).ToArray();
            detector.Detect(reference.Photos[i], boxes); // warm-up, so the timing below is steady-state
            watch.Start();
            var actual = detector.Detect(reference.Photos[i], boxes);
            watch.Stop();
            faces += boxes.Length;

            var errors = expected.Select((face, f) => MeanErrorPercent(actual[f], face)).ToArray();
            output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"photo {i + 1}: {boxes.Length} faces, worst mean landmark error {errors.DefaultIfEmpty().Max():0.######} % of the box size"));
            for (var f = 0; f < expected.Count; f++)
            {
                Assert.True(errors[f] < 1, $"photo {i + 1} face {f}: mean landmark error {errors[f]} % of the box size");
                var want = expected[f].AlignedBox.ToFaceBox();
                var got = actual[f].AlignedBox();
                var difference = new[] { got.X - want.X, got.Y - want.Y, got.Width - want.Width, got.Height - want.Height }.Max(Math.Abs);
                worstAligned = Math.Max(worstAligned, difference);
                Assert.True(difference <= 0.01, $"photo {i + 1} face {f}: aligned box {got}, face-api {want}");
            }
        }

        Assert.True(faces > 10, $"only {faces} reference faces");
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{faces} faces, worst aligned-box difference {worstAligned} px, {watch.Elapsed.TotalMilliseconds / faces:0.0} ms per face (batched, CPU)"));
    }

    [Fact]
    public void Detect_OneBoxAtATime_EqualsTheBatch()
    {
        var photo = reference.Photos[0];
        var boxes = reference.Results[0].Faces.Select(f => f.Box.ToFaceBox()).ToArray();
        var batched = detector.Detect(photo, boxes);
        for (var f = 0; f < boxes.Length; f++)
        {
            var single = detector.Detect(photo, boxes[f]);
            var worst = single.Points.Zip(batched[f].Points, (a, b) => a.DistanceTo(b)).Max();
            Assert.True(worst < 1e-3, $"face {f}: single and batched differ by {worst} px");
        }
    }

    public void Dispose() => detector.Dispose();

    /// <summary>Mean distance between corresponding points, in % of the box size (the mean of its sides).</summary>
    private static double MeanErrorPercent(FaceLandmarks actual, ReferenceFace expected)
    {
        Assert.Equal(expected.Landmarks.Count, actual.Points.Count);
        var mean = actual.Points.Select((p, k) => p.DistanceTo(new FacePoint(expected.Landmarks[k][0], expected.Landmarks[k][1]))).Average();
        return 100 * mean / ((expected.Box.Width + expected.Box.Height) / 2);
    }
}
