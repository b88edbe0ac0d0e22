using EmoFarm.Model.Checkpoints;
using Xunit;

namespace EmoFarm.Model.Tests;

/// <summary>A checkpoint is data: a pickle that asks to run anything is refused by name, and nothing runs.</summary>
public sealed class UnsafePickleTests
{
    // The command inside Reference/torch_save_evil.pth (make_torch_save.py) writes this file.
    private const string PythonPayloadMarker = "/tmp/emofarm-unpickle-pwned";

    [Fact]
    public void Open_TorchSaveOfObjectReducingToOsSystem_RefusesNamingItAndRunsNothing()
    {
        File.Delete(PythonPayloadMarker);

        var ex = Assert.Throws<UnsafePickleException>(() => CheckpointFiles.Open(TorchArchiveTests.Reference("torch_save_evil.pth")));

        // Python pickles os.system under its real module, posix, on Linux.
        Assert.Contains("pickle calls posix.system, which a tensor state dict never needs; refusing to load it", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("torch_save_evil.pth: ", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(PythonPayloadMarker));
    }

    [Theory]
    [InlineData("os", "system", false)]
    [InlineData("posix", "system", false)]
    [InlineData("builtins", "eval", false)]
    [InlineData("builtins", "exec", true)]
    [InlineData("subprocess", "Popen", false)]
    [InlineData("subprocess", "check_output", true)]
    [InlineData("torch", "load", false)]
    [InlineData("torch._utils", "_rebuild_device_tensor_from_numpy", true)]
    public void Open_PickleCallingAnythingButTheTensorRebuilders_RefusedByName(string module, string name, bool stackGlobal)
    {
        using var dir = new TempDirectory();
        var marker = dir.File("pwned");
        var pickle = new PickleBuilder().Proto(stackGlobal ? (byte)4 : (byte)2);
        _ = stackGlobal ? pickle.StackGlobal(module, name) : pickle.Global(module, name);
        pickle.Mark().String($"echo pwned > {marker}").Tuple().Reduce().Stop();
        var path = dir.File("net.pth");
        TorchSaveWriter.WriteArchive(path, pickle.ToArray());

        var ex = Assert.Throws<UnsafePickleException>(() => CheckpointFiles.Open(path));

        Assert.Equal($"net.pth: pickle calls {module}.{name}, which a tensor state dict never needs; refusing to load it", ex.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Open_ForbiddenGlobalAfterValidTensors_StillRefused()
    {
        using var dir = new TempDirectory();
        var valid = TorchArchiveTests.StateDictPickle("x", "FloatStorage", 1, [1]);
        // Splice a SETITEM of "y" = os.system("...") in before STOP: the dict is still on the stack there.
        var pickle = new PickleBuilder().Raw(valid[..^1]).String("y").Global("os", "system").Mark().String("true").Tuple().Reduce()
            .Op((byte)'s').Stop().ToArray();
        var path = dir.File("net.pth");
        TorchSaveWriter.WriteArchive(path, pickle, new Dictionary<string, byte[]> { ["0"] = new byte[4] });

        var ex = Assert.Throws<UnsafePickleException>(() => new TorchArchiveFile(path));

        Assert.Contains("os.system", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x81, "NEWOBJ")]
    [InlineData((byte)'i', "INST")]
    [InlineData((byte)'o', "OBJ")]
    public void Open_ObjectConstructionOpcodes_Refused(byte opcode, string name)
    {
        using var dir = new TempDirectory();
        var pickle = new PickleBuilder().Proto().Global("collections", "OrderedDict").EmptyTuple().Op(opcode).Stop().ToArray();
        var path = dir.File("net.pth");
        TorchSaveWriter.WriteArchive(path, pickle);

        var ex = Assert.Throws<UnsafePickleException>(() => new TorchArchiveFile(path));

        Assert.Contains($"pickle uses {name}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_StorageClassCalledDirectly_Refused()
    {
        using var dir = new TempDirectory();
        var pickle = new PickleBuilder().Proto().Global("torch", "FloatStorage").Mark().Int(1).Tuple().Reduce().Stop().ToArray();
        var path = dir.File("net.pth");
        TorchSaveWriter.WriteArchive(path, pickle);

        var ex = Assert.Throws<UnsafePickleException>(() => new TorchArchiveFile(path));

        Assert.Contains("constructs a storage", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TruncatedPickle_InvalidDataNotACrash()
    {
        using var dir = new TempDirectory();
        var valid = TorchArchiveTests.StateDictPickle("x", "FloatStorage", 1, [1]);
        var path = dir.File("net.pth");
        TorchSaveWriter.WriteArchive(path, valid[..40], new Dictionary<string, byte[]> { ["0"] = new byte[4] });

        var ex = Assert.Throws<InvalidDataException>(() => new TorchArchiveFile(path));

        Assert.Contains("corrupt pickle", ex.Message, StringComparison.Ordinal);
    }
}
