using EmoFarm.Model.Checkpoints;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

public sealed class TorchArchiveTests
{
    // Written by Reference/make_torch_save.py with Debian's python3-torch 1.13: the reader's ground truth.
    private static readonly string Saved = Reference("torch_save.pth");
    private static readonly string Expected = Reference("torch_save.safetensors");

    [Fact]
    public void Read_FileWrittenByTorchSave_EqualsValuesTheScriptWroteToSafetensors()
    {
        using var archive = new TorchArchiveFile(Saved);
        using var expected = new SafeTensorsFile(Expected);

        Assert.Equal(expected.Entries.Select(e => e.Name).Order(StringComparer.Ordinal), archive.Entries.Select(e => e.Name).Order(StringComparer.Ordinal));
        foreach (var want in expected.Entries)
        {
            var got = archive[want.Name];
            Assert.Equal(want.DType, got.DType);
            Assert.Equal(want.Shape, got.Shape);
            using var a = expected.Read(want);
            using var b = archive.Read(got);
            TensorAssert.Identical(a, b);
        }
    }

    [Fact]
    public void Tensors_FileWrittenByTorchSave_DescribesViewsStridesAndSharedStorage()
    {
        using var archive = new TorchArchiveFile(Saved);
        var t = archive.Tensors.ToDictionary(x => x.Name, StringComparer.Ordinal);

        Assert.Equal(["f32", "f16", "bf16", "i64", "transposed", "scalar", "shared.a", "shared.b", "param"], archive.Tensors.Select(x => x.Name));
        Assert.Equal([5L, 3L], t["transposed"].Shape);
        Assert.Equal([1L, 5L], t["transposed"].Strides);
        Assert.False(t["transposed"].IsContiguous);
        Assert.Empty(t["scalar"].Shape);
        Assert.Equal(t["shared.a"].StorageKey, t["shared.b"].StorageKey);
        Assert.Equal((1L, 4L), (t["shared.a"].StorageOffset, t["shared.b"].StorageOffset));
        Assert.Equal(12L, t["shared.b"].StorageElements);
        Assert.Equal(ScalarType.Float16, t["f16"].ScalarType);
    }

    [Fact]
    public void CopyTo_ConvertsDtypeInChunksAndFillsNonContiguousTargets()
    {
        using var archive = new TorchArchiveFile(Saved);
        using var expected = new SafeTensorsFile(Expected);
        var saved = SafeTensorsFile.ChunkBytes;
        SafeTensorsFile.ChunkBytes = 6;
        try
        {
            foreach (var name in new[] { "f16", "bf16", "shared.b", "transposed" })
            {
                using var want = expected.Read(expected[name]);
                using var into = torch.zeros([.. want.shape], ScalarType.Float64);
                archive.CopyTo(archive[name], into);
                using var widened = want.to(ScalarType.Float64);
                TensorAssert.Identical(widened, into);
            }

            // A transposed target: not contiguous, so the reader goes through a temporary.
            using var t = expected.Read(expected["f32"]);
            using var backing = torch.zeros(4, 3);
            using var target = backing.t();
            archive.CopyTo(archive["f32"], target);
            TensorAssert.Identical(t, target);
        }
        finally
        {
            SafeTensorsFile.ChunkBytes = saved;
        }
    }

    [Fact]
    public void Open_ByContent_PicksTheReaderAndRefusesTheLegacyFormat()
    {
        using var dir = new TempDirectory();
        var legacy = dir.File("legacy.bin");
        File.WriteAllBytes(legacy, new PickleBuilder().Proto().Int(0x1950a86a20f9469c).Stop().ToArray());

        using (var torchFile = CheckpointFiles.Open(Saved))
        using (var safetensors = CheckpointFiles.Open(Expected))
        {
            Assert.Equal("torch.save zip", torchFile.Format);
            Assert.Equal("safetensors", safetensors.Format);
        }

        var ex = Assert.Throws<InvalidDataException>(() => CheckpointFiles.Open(legacy));
        Assert.Contains("legacy (pre-1.6) torch.save", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TorchArchiveThroughCheckpointLoader_CopiesEveryTensor()
    {
        using var dir = new TempDirectory();
        using var source = nn.Sequential(("0", nn.Linear(3, 4)), ("1", nn.Linear(4, 2)));
        var path = dir.File("m.pth");
        TorchSaveWriter.Write(path, source.state_dict().Select(kv => ("net." + kv.Key, kv.Value)));
        using var target = nn.Sequential(("0", nn.Linear(3, 4)), ("1", nn.Linear(4, 2)));

        using var file = CheckpointFiles.Open(path);
        var report = CheckpointLoader.Load(target, [file], prefix: "net.");

        Assert.True(report.IsComplete, report.Describe());
        Assert.Equal(4, report.Loaded);
        foreach (var (name, tensor) in source.state_dict())
        {
            TensorAssert.Identical(tensor, target.state_dict()[name]);
        }
    }

    [Fact]
    public void Open_ByteOrderRecord_LittleReadsBigRefused()
    {
        using var dir = new TempDirectory();
        using var x = torch.arange(4, dtype: ScalarType.Float32);
        var pickle = StateDictPickle("x", "FloatStorage", 4, [4]);
        var storage = new Dictionary<string, byte[]> { ["0"] = x.bytes.ToArray() };
        TorchSaveWriter.WriteArchive(dir.File("little.pth"), pickle, storage, byteOrder: "little");
        TorchSaveWriter.WriteArchive(dir.File("big.pth"), pickle, storage, byteOrder: "big");

        using (var little = new TorchArchiveFile(dir.File("little.pth")))
        {
            using var read = little.Read(little["x"]);
            TensorAssert.Identical(x, read);
        }

        var ex = Assert.Throws<InvalidDataException>(() => new TorchArchiveFile(dir.File("big.pth")));
        Assert.Contains("'big'-endian", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8, 4, 12, "holds 12 bytes")] // 8 floats declared, 3 stored: the record is truncated
    [InlineData(3, 4, 12, "reaches past its storage")] // a view of 4 elements over a storage of 3
    public void Open_StorageInconsistentWithPickle_RefusedBeforeAnyRead(long declared, long shape, int recordBytes, string problem)
    {
        using var dir = new TempDirectory();
        var storage = new Dictionary<string, byte[]> { ["0"] = new byte[recordBytes] };
        TorchSaveWriter.WriteArchive(dir.File("bad.pth"), StateDictPickle("x", "FloatStorage", declared, [shape]), storage);

        var ex = Assert.Throws<InvalidDataException>(() => new TorchArchiveFile(dir.File("bad.pth")));
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MissingStorageRecord_NamesTensorAndRecord()
    {
        using var dir = new TempDirectory();
        TorchSaveWriter.WriteArchive(dir.File("bad.pth"), StateDictPickle("x", "FloatStorage", 4, [4]));

        var ex = Assert.Throws<InvalidDataException>(() => new TorchArchiveFile(dir.File("bad.pth")));
        Assert.Contains("'x' refers to storage record 'data/0'", ex.Message, StringComparison.Ordinal);
    }

    internal static string Reference(string name) => Path.Combine(AppContext.BaseDirectory, "Reference", name);

    /// <summary>A one-tensor state dict pickled as torch 1.13 does, over storage record "0".</summary>
    internal static byte[] StateDictPickle(string name, string storageClass, long elements, long[] shape) =>
        new PickleBuilder().Proto().Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark()
            .String(name).Global("torch._utils", "_rebuild_tensor_v2")
            .Mark()
            .Mark().String("storage").Global("torch", storageClass).String("0").String("cpu").Int(elements).Tuple()
            .BinPersId()
            .Int(0).Ints(shape).Ints(ContiguousStrides(shape))
            .False()
            .Global("collections", "OrderedDict").EmptyTuple().Reduce()
            .Tuple()
            .Reduce()
            .SetItems().Stop().ToArray();

    private static long[] ContiguousStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long step = 1;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = step;
            step *= shape[d];
        }

        return strides;
    }
}
