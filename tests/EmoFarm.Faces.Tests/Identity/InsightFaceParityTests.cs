using System.Globalization;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces.Identity;
using EmoFarm.Testing;
using Xunit;

namespace EmoFarm.Faces.Tests.Identity;

/// <summary>
/// <see cref="IdentityModels"/> against insightface 0.7.3's own Python (tests/parity/insightface_reference.py) on
/// face-api's demo photographs: the letterbox, the detections, the ArcFace crops and the embeddings.
/// </summary>
public sealed class InsightFaceParityTests(InsightFaceReference reference) : IClassFixture<InsightFaceReference>, IDisposable
{
    /// <summary>
    /// ONNX Runtime against torch on the same recognition model and the same crop: float32 summation order only.
    /// </summary>
    private const double MaxCropEmbeddingError = 1e-5;

    /// <summary>
    /// End to end, the crop also differs: scikit-image's float32 Umeyama against our float64 one moves the matrix by
    /// about 1e-5, which shifts a few crop pixels by a level or two (see <see cref="NormCrop_OwnMatrix_DiffersInAFewPixels"/>).
    /// </summary>
    private const double MaxEmbeddingError = 2e-3;

    private readonly IdentityModels models = IdentityModels.Open(InsightFaceReference.ModelsFolder);

    private static ITestOutputHelper Output => TestContext.Current.TestOutputHelper!;

    [Fact]
    public void Letterbox_EveryCase_IsCv2ResizeByteForByte()
    {
        Assert.Equal(reference.Reference.Cases.Count, reference.Inputs.Count);
        for (var i = 0; i < reference.Inputs.Count; i++)
        {
            var (c, image) = (reference.Reference.Cases[i], reference.Inputs[i]);
            Assert.True(c.InputSha256 == InsightFaceReference.Sha256(image.Pixels),
                $"{c.Name}: ffmpeg decoded the photograph differently from when the fixture was made");
            var canvas = ScrfdDetector.Letterbox(image, 640, 640, out _);
            Assert.True(c.LetterboxSha256 == InsightFaceReference.Sha256(canvas), $"{c.Name}: the {image.Width}×{image.Height} letterbox differs from cv2.resize's");
        }
    }

    [Fact]
    public void Detect_EveryCase_MatchesInsightFaceDetections()
    {
        var (faces, worstBox, worstScore) = (0, 0.0, 0.0);
        for (var i = 0; i < reference.Inputs.Count; i++)
        {
            var c = reference.Reference.Cases[i];
            var detected = models.Detect(reference.Inputs[i]);
            Assert.True(c.Faces.Count == detected.Count, $"{c.Name}: {detected.Count} faces, insightface found {c.Faces.Count}");
            for (var f = 0; f < detected.Count; f++)
            {
                var (mine, theirs) = (detected[f], c.Faces[f]);
                var box = new[] { mine.X1 - theirs.Bbox[0], mine.Y1 - theirs.Bbox[1], mine.X2 - theirs.Bbox[2], mine.Y2 - theirs.Bbox[3] }
                    .Concat(mine.Keypoints!.Zip(theirs.Keypoints, (a, b) => Math.Max(Math.Abs(a.X - b.X), Math.Abs(a.Y - b.Y))))
                    .Max(d => Math.Abs((double)d));
                var score = Math.Abs((double)mine.Score - theirs.Score);
                // The detector is exact by construction, so boxes and keypoints agree to the bit; ONNX Runtime's
                // sigmoid may differ from torch's by an ulp or two.
                Assert.True(box == 0, $"{c.Name} face {f}: box or keypoints differ by {box}");
                Assert.True(score <= 1e-6, $"{c.Name} face {f}: score {mine.Score} against {theirs.Score}");
                (worstBox, worstScore) = (Math.Max(worstBox, box), Math.Max(worstScore, score));
            }

            faces += detected.Count;
        }

        Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{faces} faces over {reference.Inputs.Count} cases: box/keypoint max |Δ| {worstBox}, score max |Δ| {worstScore:0.0e0}"));
        // The fixture is meant to make NMS work: many candidates over 0.5, a good share of them suppressed.
        var candidates = reference.Reference.Cases.Sum(c => c.Candidates);
        Assert.True(faces >= 50 && candidates - faces >= faces / 2, $"{candidates} candidates, {faces} faces: the fixture no longer exercises NMS");
    }

    [Fact]
    public void Detect_MaxFaces_KeepsInsightFaceMostCentral()
    {
        var cases = 0;
        for (var i = 0; i < reference.Inputs.Count; i++)
        {
            if (reference.Reference.Cases[i].MaxNum3 is not { } expected) continue;
            var kept = models.Detect(reference.Inputs[i], maxFaces: 3);
            Assert.Equal(expected.Select(b => string.Join(", ", b)), kept.Select(f => $"{f.X1}, {f.Y1}, {f.X2}, {f.Y2}"));
            cases++;
        }

        Assert.True(cases >= 3, $"only {cases} cases with more than 3 faces");
    }

    [Fact]
    public void NormCrop_InsightFaceMatrix_IsCv2WarpAffineByteForByte()
    {
        var crops = 0;
        for (var i = 0; i < reference.Inputs.Count; i++)
        {
            var (c, image) = (reference.Reference.Cases[i], reference.Inputs[i]);
            foreach (var face in c.Faces)
            {
                var crop = OpenCvWarpAffine.Linear(image.Pixels, image.Width, image.Height, face.Matrix, 112, 112);
                Assert.True(face.CropSha256 == InsightFaceReference.Sha256(crop), $"{c.Name}: the crop by {string.Join(", ", face.Matrix)} differs from cv2.warpAffine's");
                crops++;
            }
        }

        Assert.True(crops >= 50, $"only {crops} crops");
    }

    [Fact]
    public void EstimateNorm_InsightFaceKeypoints_MatchesScikitImage()
    {
        var (worst, worstAbs) = (0.0, 0.0);
        foreach (var face in reference.Reference.Cases.SelectMany(c => c.Faces))
        {
            var mine = ArcFaceAlignment.EstimateNorm(face.Keypoints, 112);
            // scikit-image works in float32 (2^-24 ≈ 6e-8 relative), so compare relative to each entry's size.
            var error = mine.Zip(face.Matrix, (a, b) => Math.Abs(a - b) / Math.Max(1, Math.Abs(b))).Max();
            Assert.True(error < 5e-6, $"norm_crop matrix differs by {error} (relative): {string.Join(", ", mine)} against {string.Join(", ", face.Matrix)}");
            (worst, worstAbs) = (Math.Max(worst, error), Math.Max(worstAbs, mine.Zip(face.Matrix, (a, b) => Math.Abs(a - b)).Max()));
        }

        Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"float64 Umeyama against scikit-image's float32: max |Δ| {worstAbs:0.00e0}, relative to max(1, |entry|) {worst:0.00e0}"));
    }

    [Fact]
    public void NormCrop_OwnMatrix_DiffersInAFewPixels()
    {
        var (pixels, changed, worst) = (0, 0, 0);
        foreach (var (c, image) in LargestFaces())
        {
            var face = c.Faces[c.Largest!.Value];
            var mine = ArcFaceAlignment.NormCrop(image.Pixels, image.Width, image.Height, face.Keypoints, 112);
            var theirs = InsightFaceReference.LargestCrop(c);
            for (var p = 0; p < mine.Length; p += 3)
            {
                var d = Enumerable.Range(0, 3).Max(k => Math.Abs(mine[p + k] - theirs[p + k]));
                (changed, worst) = (changed + (d > 0 ? 1 : 0), Math.Max(worst, d));
            }

            pixels += mine.Length / 3;
        }

        Output.WriteLine($"{changed} of {pixels} crop pixels differ, by at most {worst} levels");
        Assert.True(changed <= pixels / 200, $"{changed} of {pixels} crop pixels differ");
        Assert.True(worst <= 8, $"a crop pixel differs by {worst} levels");
    }

    [Fact]
    public void EmbedCrop_InsightFaceCrop_MatchesItsEmbedding()
    {
        using var folder = new TempFolder("insightface");
        File.Copy(Path.Combine(InsightFaceReference.ModelsFolder, reference.Reference.Detector), folder.File(reference.Reference.Detector));
        File.Copy(Path.Combine(InsightFaceReference.Folder, reference.Reference.SubMulRecognition), folder.File(reference.Reference.SubMulRecognition));
        using var subMul = IdentityModels.Open(folder.Path);
        // insightface's own choice for each model (recorded by the reference script).
        var signature = reference.Reference.Models.ToDictionary(m => Path.GetFileName(m.File));
        Assert.Equal((signature[reference.Reference.SubMulRecognition].InputMean, signature[reference.Reference.SubMulRecognition].InputStd),
            (subMul.Recognizer.InputMean, subMul.Recognizer.InputStd));
        Assert.Equal((signature[reference.Reference.Recognition].InputMean, signature[reference.Reference.Recognition].InputStd),
            (models.Recognizer.InputMean, models.Recognizer.InputStd));
        Assert.NotEqual(subMul.Recognizer.InputMean, models.Recognizer.InputMean);
        var (worst, worstSubMul) = (0.0, 0.0);
        foreach (var (c, _) in LargestFaces())
        {
            var crop = InsightFaceReference.LargestCrop(c);
            var expected = reference.Embeddings[c.Faces[c.Largest!.Value].Embedding];
            worst = Math.Max(worst, MaxError(models.Recognition.EmbedCrop(crop), expected));
            worstSubMul = Math.Max(worstSubMul, MaxError(subMul.Recognition.EmbedCrop(crop), reference.SubMulEmbeddings[c.SubMulEmbedding!.Value]));
        }

        Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"embedding of insightface's crop: max |Δ| {worst:0.00e0} (127.5/127.5), {worstSubMul:0.00e0} (Sub/Mul in the graph, 0/1)"));
        Assert.True(worst < MaxCropEmbeddingError, $"max |Δ| {worst}");
        Assert.True(worstSubMul < MaxCropEmbeddingError, $"Sub/Mul model: max |Δ| {worstSubMul}");
    }

    [Fact]
    public void Embed_EveryCase_IsInsightFaceLargestFaceEmbedding()
    {
        var (worst, cases) = (0.0, 0);
        for (var i = 0; i < reference.Inputs.Count; i++)
        {
            var c = reference.Reference.Cases[i];
            var embedding = models.Embed(reference.Inputs[i]);
            if (c.Largest is not { } largest)
            {
                Assert.True(embedding is null, $"{c.Name}: insightface found no face, this found one");
                continue;
            }

            Assert.NotNull(embedding);
            var chosen = IdentityModels.Largest(models.Detect(reference.Inputs[i]))!;
            Assert.Equal(c.Faces[largest].Bbox, new[] { chosen.X1, chosen.Y1, chosen.X2, chosen.Y2 });
            var error = MaxError(embedding, reference.Embeddings[c.Faces[largest].Embedding]);
            Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Name}: face {largest} of {c.Faces.Count}, max |Δ| {error:0.00e0}"));
            Assert.True(error < MaxEmbeddingError, $"{c.Name}: max |Δ| {error}");
            (worst, cases) = (Math.Max(worst, error), cases + 1);
        }

        Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cases} cases with a face: max |Δ| {worst:0.00e0}"));
        Assert.Contains(reference.Reference.Cases, c => c.Largest is > 0);
    }

    [Fact]
    public void Embed_FlatImage_ReturnsNull()
    {
        var flat = reference.Reference.Cases.Select((c, i) => (c, i)).Single(x => x.c.Name == "flat-gray");
        Assert.Empty(flat.c.Faces);
        Assert.Empty(models.Detect(reference.Inputs[flat.i]));
        Assert.Null(models.Embed(reference.Inputs[flat.i]));
    }

    public void Dispose() => models.Dispose();

    private static double MaxError(float[] a, float[] b)
    {
        Assert.Equal(b.Length, a.Length);
        return a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
    }

    private IEnumerable<(InsightFaceReference.Case Case, RgbImage Image)> LargestFaces() =>
        reference.Reference.Cases.Zip(reference.Inputs).Where(x => x.First.Largest is not null);
}
