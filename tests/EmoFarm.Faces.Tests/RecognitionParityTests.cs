using System.Diagnostics;
using System.Globalization;
using EmoFarm.Faces.Recognition;
using Xunit;

namespace EmoFarm.Faces.Tests;

/// <summary>The recognition net against face-api's own descriptors of the demo photographs' faces.</summary>
[Collection("FaceApi")]
public sealed class RecognitionParityTests(FaceApiReference reference) : IDisposable
{
    /// <summary>
    /// The issue asks for 0.99; a faithful port differs from face-api only by float32 summation order, which keeps it
    /// far above this (1 − cosine about 1e-13, |Δ| about 3e-7 on the reference machine).
    /// </summary>
    private const double MinCosine = 0.99999;

    private const double MaxAbsDifference = 1e-5;

    private readonly FaceEmbedder embedder = FaceEmbedder.Load(FaceApiPackage.Models);

    [Fact]
    public void Describe_AlignedReferenceBoxes_MatchFaceApiDescriptors()
    {
        var output = TestContext.Current.TestOutputHelper!;
        var (faces, worstCosine, worstAbs) = (0, 1.0, 0.0);
        var watch = new Stopwatch();
        for (var p = 0; p < reference.Photos.Count; p++)
        {
            var (photoCosine, photoAbs) = (1.0, 0.0);
            foreach (var face in reference.Results[p].Faces)
            {
                watch.Start();
                var descriptor = embedder.Describe(reference.Photos[p], face.AlignedBox.ToFaceBox());
                watch.Stop();
                var expected = face.Descriptor.ToArray();
                var cosine = FaceEmbedder.CosineSimilarity(descriptor, expected);
                var abs = descriptor.Zip(expected, (a, b) => (double)Math.Abs(a - b)).Max();
                Assert.True(cosine > MinCosine, $"photo {p + 1}, face at {face.AlignedBox.ToFaceBox()}: cosine {cosine}");
                Assert.True(abs < MaxAbsDifference, $"photo {p + 1}, face at {face.AlignedBox.ToFaceBox()}: max |Δ| {abs}");
                photoCosine = Math.Min(photoCosine, cosine);
                photoAbs = Math.Max(photoAbs, abs);
                faces++;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sample{p + 1}: {reference.Results[p].Faces.Count} faces, worst cosine 1 − {1 - photoCosine:0.0e0}, max |Δ| {photoAbs:0.000e0}"));
            (worstCosine, worstAbs) = (Math.Min(worstCosine, photoCosine), Math.Max(worstAbs, photoAbs));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"all {faces} faces: worst cosine 1 − {1 - worstCosine:0.0e0}, max |Δ| {worstAbs:0.000e0}, {watch.Elapsed.TotalMilliseconds / faces:0.0} ms per face"));
        Assert.True(faces >= 12, $"only {faces} reference faces");
    }

    [Fact]
    public void Describe_BatchOfBoxes_MatchesOneAtATime()
    {
        var watch = new Stopwatch();
        var faces = 0;
        for (var p = 0; p < reference.Photos.Count; p++)
        {
            var boxes = reference.Results[p].Faces.Select(f => f.AlignedBox.ToFaceBox()).ToList();
            watch.Start();
            var batched = embedder.Describe(reference.Photos[p], boxes);
            watch.Stop();
            faces += boxes.Count;
            Assert.Equal(boxes.Count, batched.Count);
            for (var i = 0; i < boxes.Count; i++)
            {
                var single = embedder.Describe(reference.Photos[p], boxes[i]);
                Assert.True(FaceEmbedder.CosineSimilarity(single, batched[i]) > MinCosine, $"photo {p + 1}, face {i}");
            }
        }

        TestContext.Current.TestOutputHelper!.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"batched: {watch.Elapsed.TotalMilliseconds / faces:0.0} ms per face over {faces} faces"));
    }

    [Fact]
    public void Describe_SlightlyShiftedBox_IsCloserToItsOwnFaceThanToOtherPeople()
    {
        var (checkedFaces, smallestMargin, farthestSelf) = (0, double.MaxValue, 0.0);
        for (var p = 0; p < reference.Photos.Count; p++)
        {
            var boxes = reference.Results[p].Faces.Select(f => f.AlignedBox.ToFaceBox()).ToList();
            if (boxes.Count < 2) continue;
            var descriptors = embedder.Describe(reference.Photos[p], boxes);
            // A few pixels off, as a different detection or landmark fit of the same face would be.
            var shifted = embedder.Describe(reference.Photos[p], [.. boxes.Select(b => b with { X = b.X + (0.04 * b.Width), Y = b.Y - (0.03 * b.Height) })]);
            for (var i = 0; i < boxes.Count; i++)
            {
                var self = FaceEmbedder.CosineSimilarity(descriptors[i], shifted[i]);
                var closestOther = Enumerable.Range(0, boxes.Count).Where(j => j != i)
                    .Max(j => FaceEmbedder.CosineSimilarity(descriptors[j], shifted[i]));
                Assert.True(self > closestOther, $"photo {p + 1}, face {i}: itself {self:0.0000}, another person {closestOther:0.0000}");
                // face-api's FaceMatcher calls descriptors within Euclidean distance 0.6 the same person.
                var distance = Distance(descriptors[i], shifted[i]);
                Assert.True(distance < 0.6, $"photo {p + 1}, face {i}: {distance:0.000} from itself");
                (smallestMargin, farthestSelf) = (Math.Min(smallestMargin, self - closestOther), Math.Max(farthestSelf, distance));
                checkedFaces++;
            }
        }

        TestContext.Current.TestOutputHelper!.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"shifted box: smallest cosine margin over another person {smallestMargin:0.000}, farthest from itself {farthestSelf:0.000}"));
        Assert.True(checkedFaces >= 12, $"only {checkedFaces} faces checked");
    }

    public void Dispose() => embedder.Dispose();

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());
}
