using EmoFarm.Model.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

public sealed class CheckpointLoaderTests
{
    [Fact]
    public void Load_MatchingCheckpointUnderPrefix_CopiesEveryTensorAndIsComplete()
    {
        using var dir = new TempDirectory();
        using var source = new TwoLinear(withSpeed: false);
        var path = Save(dir, source, "net.");
        AppendForeignKey(dir, path);
        using var target = new TwoLinear(withSpeed: false);

        using var file = new SafeTensorsFile(path);
        var report = CheckpointLoader.Load(target, [file], prefix: "net.");

        Assert.True(report.IsComplete, report.Describe());
        Assert.Equal(4, report.Loaded);
        foreach (var (name, tensor) in source.state_dict())
        {
            TensorAssert.Identical(tensor, target.state_dict()[name]);
        }
    }

    [Fact]
    public void Load_ShapeMismatch_ReportsNameAndBothShapesAndCopiesNothing()
    {
        using var dir = new TempDirectory();
        using var wide = new TwoLinear(withSpeed: false, hidden: 6);
        var path = Save(dir, wide, "");
        using var target = new TwoLinear(withSpeed: false, hidden: 5);
        using var before = target.state_dict()["first.bias"].clone();
        using var secondBefore = target.state_dict()["second.bias"].clone();

        using var file = new SafeTensorsFile(path);
        var report = CheckpointLoader.Load(target, [file]);

        Assert.False(report.IsComplete);
        Assert.Equal(0, report.Loaded);
        var mismatch = Assert.Single(report.ShapeMismatched, m => m.Name == "first.weight");
        Assert.Equal([5L, 3L], mismatch.Expected);
        Assert.Equal([6L, 3L], mismatch.Actual);
        // second.bias has a matching shape but must stay untouched because the load as a whole is refused.
        TensorAssert.Identical(secondBefore, target.state_dict()["second.bias"]);
        TensorAssert.Identical(before, target.state_dict()["first.bias"]);
        var ex = Assert.Throws<CheckpointMismatchException>(report.EnsureComplete);
        Assert.Contains("first.weight: module [5, 3] vs checkpoint [6, 3]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingAndUnexpectedKeys_ReportedAndListedByEnsureComplete()
    {
        using var dir = new TempDirectory();
        using var source = new TwoLinear(withSpeed: false);
        using var extra = torch.ones(2);
        var path = dir.File("w.safetensors");
        SafeTensorsWriter.Write(path, source.state_dict().Where(kv => kv.Key != "second.weight").Select(kv => (kv.Key, kv.Value)).Append(("stray.weight", extra)));
        using var target = new TwoLinear(withSpeed: false);

        using var file = new SafeTensorsFile(path);
        var report = CheckpointLoader.Load(target, [file]);

        Assert.Equal(["second.weight"], report.Missing);
        Assert.Equal(["stray.weight"], report.Unexpected);
        Assert.Equal(3, report.Loaded);
        var ex = Assert.Throws<CheckpointMismatchException>(report.EnsureComplete);
        Assert.Contains("1 missing, 1 unexpected", ex.Message, StringComparison.Ordinal);
        Assert.Contains("second.weight", ex.Message, StringComparison.Ordinal);
        Assert.Contains("stray.weight", ex.Message, StringComparison.Ordinal);
        Assert.Same(report, ex.Report);
    }

    [Fact]
    public void Load_AllowedMissingPrefix_NotCountedAsMissing()
    {
        using var dir = new TempDirectory();
        using var hallo = new TwoLinear(withSpeed: false);
        var path = Save(dir, hallo, "");
        using var emo = new TwoLinear(withSpeed: true);

        using var file = new SafeTensorsFile(path);
        var strict = CheckpointLoader.Load(emo, [file]);
        var lenient = CheckpointLoader.Load(emo, [file], allowedMissingPrefixes: ["speed_embedding."]);

        Assert.Equal(["speed_embedding.weight", "speed_embedding.bias"], strict.Missing.Order(StringComparer.Ordinal).Reverse());
        Assert.True(lenient.IsComplete, lenient.Describe());
        Assert.Equal(2, lenient.AllowedMissing.Count);
    }

    [Fact]
    public void Load_KeyInTwoShards_Throws()
    {
        using var dir = new TempDirectory();
        using var source = new TwoLinear(withSpeed: false);
        var a = Save(dir, source, "", "a.safetensors");
        var b = Save(dir, source, "", "b.safetensors");
        using var fa = new SafeTensorsFile(a);
        using var fb = new SafeTensorsFile(b);

        var ex = Assert.Throws<InvalidDataException>(() => CheckpointLoader.Load(source, [fa, fb]));
        Assert.Contains("appears twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_StripPrefix_LoadsKeysWithOrWithoutItButNotBothSpellings()
    {
        using var dir = new TempDirectory();
        using var source = new TwoLinear(withSpeed: false);
        var wrapped = Save(dir, source, "wav2vec2.", "wrapped.safetensors");
        var plain = Save(dir, source, "", "plain.safetensors");
        using var target = new TwoLinear(withSpeed: false);

        using var wrappedFile = new SafeTensorsFile(wrapped);
        using var plainFile = new SafeTensorsFile(plain);
        var fromWrapped = CheckpointLoader.Load(target, [wrappedFile], stripPrefix: "wav2vec2.");
        var fromPlain = CheckpointLoader.Load(target, [plainFile], stripPrefix: "wav2vec2.");

        Assert.True(fromWrapped.IsComplete, fromWrapped.Describe());
        Assert.True(fromPlain.IsComplete, fromPlain.Describe());
        Assert.Empty(fromPlain.Ignored);
        var ex = Assert.Throws<InvalidDataException>(() => CheckpointLoader.Load(target, [wrappedFile, plainFile], stripPrefix: "wav2vec2."));
        Assert.Contains("appears twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_ManyMissing_TruncatesWithCount()
    {
        var missing = Enumerable.Range(0, 25).Select(i => $"k{i}").ToList();
        var report = new LoadReport(0, missing, [], [], []);

        var text = report.Describe();

        Assert.Contains("25 missing", text, StringComparison.Ordinal);
        Assert.Contains("... and 15 more", text, StringComparison.Ordinal);
        Assert.DoesNotContain("k24", text, StringComparison.Ordinal);
    }

    private static string Save(TempDirectory dir, nn.Module module, string prefix, string name = "w.safetensors")
    {
        var path = dir.File(name);
        SafeTensorsWriter.Write(path, module.state_dict().Select(kv => (prefix + kv.Key, kv.Value)));
        return path;
    }

    // Rewrites the file with one more key outside the prefix; it belongs to another module and must be ignored.
    private static void AppendForeignKey(TempDirectory dir, string path)
    {
        var copy = dir.File("copy.safetensors");
        using (var file = new SafeTensorsFile(path))
        {
            var tensors = file.Entries.Select(e => (e.Name, file.Read(e))).ToList();
            using var foreign = torch.zeros(7);
            SafeTensorsWriter.Write(copy, tensors.Append(("other_module.weight", foreign)));
            tensors.ForEach(t => t.Item2.Dispose());
        }

        File.Move(copy, path, overwrite: true);
    }

    private sealed class TwoLinear : nn.Module
    {
        private readonly Linear first;
        private readonly Linear second;
        private readonly Linear? speed_embedding;

        public TwoLinear(bool withSpeed, int hidden = 5)
            : base(nameof(TwoLinear))
        {
            first = nn.Linear(3, hidden);
            second = nn.Linear(hidden, 2);
            if (withSpeed)
            {
                speed_embedding = nn.Linear(1, 2);
            }

            RegisterComponents();
        }
    }
}
