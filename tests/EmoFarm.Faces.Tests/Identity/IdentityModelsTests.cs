using System.Text.Json;
using EmoFarm.Faces.Identity;
using EmoFarm.Testing;
using Xunit;

namespace EmoFarm.Faces.Tests.Identity;

/// <summary>How <see cref="IdentityModels"/> reads a folder: by signature, first file per task, clear failures.</summary>
public sealed class IdentityModelsTests(InsightFaceReference reference) : IClassFixture<InsightFaceReference>
{
    [Fact]
    public void Describe_FixtureModels_AgreesWithInsightFaceRouter()
    {
        var described = IdentityModels.Describe(InsightFaceReference.ModelsFolder)
            .Concat(IdentityModels.Describe(InsightFaceReference.Folder)).ToDictionary(m => m.FileName);
        Assert.Equal(reference.Reference.Models.Count, described.Count);
        foreach (var expected in reference.Reference.Models)
        {
            var mine = described[Path.GetFileName(expected.File)];
            Assert.True(expected.Taskname == mine.TaskName, $"{mine.FileName}: {mine.TaskName} against insightface's {expected.Taskname}");
            Assert.Equal(expected.InputMean, mine.InputMean);
            Assert.Equal(expected.InputStd, mine.InputStd);
            Assert.Null(mine.Problem);
            AssertSignature(expected.Inputs, mine.Inputs);
            AssertSignature(expected.Outputs, mine.Outputs);
            if (!expected.File.StartsWith("models/", StringComparison.Ordinal)) continue;
            var kept = expected.Taskname is { } task && reference.Reference.FaceAnalysis.GetValueOrDefault(task) == mine.FileName;
            Assert.True(kept == mine.Kept, $"{mine.FileName}: kept {mine.Kept}, FaceAnalysis {kept}");
        }
    }

    [Fact]
    public void Open_MisleadingFileNames_RoutesBySignature()
    {
        using var folder = new TempFolder("insightface");
        // Each file named after another role; sorted, the recognition model now comes last and the detector first.
        Copy(folder, reference.Reference.Detector, "a-glintr100.onnx");
        Copy(folder, "random-genderage.onnx", "b-scrfd_10g_bnkps.onnx");
        Copy(folder, "random-unknown64.onnx", "c-arcface.onnx");
        Copy(folder, reference.Reference.Recognition, "z-det_10g.onnx");
        using var renamed = IdentityModels.Open(folder.Path);
        using var original = IdentityModels.Open(InsightFaceReference.ModelsFolder);
        Assert.Equal("a-glintr100.onnx", renamed.Detector.FileName);
        Assert.Equal("z-det_10g.onnx", renamed.Recognizer.FileName);
        string? Task(string file) => reference.Reference.Models.Single(m => Path.GetFileName(m.File) == file).Taskname;
        Assert.Equal(
            [Task(reference.Reference.Detector), Task("random-genderage.onnx"), Task("random-unknown64.onnx"), Task(reference.Reference.Recognition)],
            renamed.Models.Select(m => m.TaskName));
        var image = reference.Inputs[0];
        Assert.Equal(original.Embed(image), renamed.Embed(image));
    }

    [Fact]
    public void Open_TwoRecognitionModels_KeepsTheFirstInSortedOrder()
    {
        using var folder = new TempFolder("insightface");
        Copy(folder, reference.Reference.Detector, "det.onnx");
        Copy(folder, reference.Reference.Recognition, "rec-b.onnx");
        File.Copy(Path.Combine(InsightFaceReference.Folder, reference.Reference.SubMulRecognition), folder.File("rec-a.onnx"));
        // glob's *.onnx skips hidden files.
        File.WriteAllText(folder.File(".rec-0.onnx"), "not a model");
        using var models = IdentityModels.Open(folder.Path);
        Assert.Equal("rec-a.onnx", models.Recognizer.FileName);
        var subMul = reference.Reference.Models.Single(m => m.File == reference.Reference.SubMulRecognition);
        Assert.Equal((subMul.InputMean, subMul.InputStd), (models.Recognizer.InputMean, models.Recognizer.InputStd));
        Assert.False(models.Models.Single(m => m.FileName == "rec-b.onnx").Kept);
        Assert.Equal(3, models.Models.Count);
    }

    [Fact]
    public void Open_NoDetector_FailsNamingTheFolder()
    {
        using var folder = new TempFolder("insightface");
        Copy(folder, reference.Reference.Recognition, "glintr100.onnx");
        Copy(folder, "random-genderage.onnx", "scrfd_10g_bnkps.onnx");
        var e = Assert.Throws<InvalidDataException>(() => IdentityModels.Open(folder.Path));
        Assert.Contains(folder.Path, e.Message, StringComparison.Ordinal);
        Assert.Contains("no face detector", e.Message, StringComparison.Ordinal);
        Assert.Contains("scrfd_10g_bnkps.onnx", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NoRecognitionModel_FailsNamingTheFolder()
    {
        using var folder = new TempFolder("insightface");
        Copy(folder, reference.Reference.Detector, "scrfd_10g_bnkps.onnx");
        Copy(folder, "random-2d106det.onnx", "glintr100.onnx");
        var e = Assert.Throws<InvalidDataException>(() => IdentityModels.Open(folder.Path));
        Assert.Contains(folder.Path, e.Message, StringComparison.Ordinal);
        Assert.Contains("no recognition model", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MissingFolder_FailsNamingIt()
    {
        using var folder = new TempFolder("insightface");
        var missing = Path.Combine(folder.Path, "face_analysis", "models");
        var e = Assert.Throws<DirectoryNotFoundException>(() => IdentityModels.Open(missing));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FileThatIsNoModel_FailsNamingIt()
    {
        using var folder = new TempFolder("insightface");
        Copy(folder, reference.Reference.Detector, "a.onnx");
        File.WriteAllText(folder.File("b.onnx"), "not a model");
        var e = Assert.Throws<InvalidDataException>(() => IdentityModels.Open(folder.Path));
        Assert.Contains(folder.File("b.onnx"), e.Message, StringComparison.Ordinal);
    }

    private static void Copy(TempFolder folder, string fixtureModel, string name) =>
        File.Copy(Path.Combine(InsightFaceReference.ModelsFolder, fixtureModel), folder.File(name));

    private static void AssertSignature(IReadOnlyList<InsightFaceReference.TensorSignature> expected, IReadOnlyList<OnnxTensorDescription> actual)
    {
        Assert.Equal(expected.Select(t => t.Name), actual.Select(t => t.Name));
        for (var i = 0; i < expected.Count; i++)
        {
            // onnxruntime's Python API: an int for a fixed size, the symbol's string, or None.
            var dims = expected[i].Shape.Select(d => d.ValueKind switch
            {
                JsonValueKind.Number => new OnnxDimension(d.GetInt64(), null),
                JsonValueKind.String => new OnnxDimension(null, d.GetString()),
                _ => new OnnxDimension(null, null),
            });
            Assert.Equal(dims, actual[i].Shape);
            Assert.Equal("tensor(float)", actual[i].ElementType);
        }
    }
}
