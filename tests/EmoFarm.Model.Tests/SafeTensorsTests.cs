using System.Text;
using EmoFarm.Model.Checkpoints;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

public sealed class SafeTensorsTests
{
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void Write_ThenCopyToFloat32_RoundTripsStoredPrecision(ScalarType stored)
    {
        using var dir = new TempDirectory();
        using var original = torch.randn(3, 5, 7, generator: new Generator(1));
        using var bias = torch.randn(4, generator: new Generator(2));
        var path = dir.File("w.safetensors");
        SafeTensorsWriter.Write(path, [("a.weight", original), ("a.bias", bias)], new Dictionary<string, string> { ["format"] = "pt" }, stored);

        using var file = new SafeTensorsFile(path);
        using var target = torch.zeros(3, 5, 7);
        file.CopyTo(file["a.weight"], target);

        using var expected = original.to(stored).to(ScalarType.Float32);
        TensorAssert.Identical(expected, target);
        Assert.Equal(SafeTensorsDTypeName(stored), file["a.weight"].DType);
        Assert.Equal([4L], file["a.bias"].Shape);
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Theory]
    [InlineData(ScalarType.Float32, ScalarType.Float32, false)]
    [InlineData(ScalarType.Float32, ScalarType.Float32, true)]
    [InlineData(ScalarType.Float32, ScalarType.BFloat16, false)]
    [InlineData(ScalarType.Float16, ScalarType.Float32, true)]
    public void CopyTo_SmallChunks_CopiesEveryElementInPlace(ScalarType stored, ScalarType target, bool memoryMap)
    {
        using var dir = new TempDirectory();
        using var original = torch.arange(0, 1000, dtype: ScalarType.Float32).reshape(10, 100);
        var path = dir.File("w.safetensors");
        SafeTensorsWriter.Write(path, [("x", original)], dtype: stored);
        var saved = SafeTensorsFile.ChunkBytes;
        SafeTensorsFile.ChunkBytes = 24;
        try
        {
            using var file = new SafeTensorsFile(path, memoryMap);
            using var destination = torch.zeros([10, 100], target);
            file.CopyTo(file["x"], destination);
            using var expected = original.to(stored).to(target);
            TensorAssert.Identical(expected, destination);
        }
        finally
        {
            SafeTensorsFile.ChunkBytes = saved;
        }
    }

    [Fact]
    public void CopyTo_ShapeDiffers_ThrowsNamingTensorAndShapes()
    {
        using var dir = new TempDirectory();
        using var t = torch.ones(2, 3);
        var path = dir.File("w.safetensors");
        SafeTensorsWriter.Write(path, [("layer.weight", t)]);
        using var file = new SafeTensorsFile(path);
        using var wrong = torch.zeros(3, 2);

        var ex = Assert.Throws<ArgumentException>(() => file.CopyTo(file["layer.weight"], wrong));
        Assert.Contains("layer.weight", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 2]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_HeaderLengthPastEndOfFile_ThrowsClearError()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.safetensors");
        var bytes = new byte[64];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), 1_000_000L);
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<InvalidDataException>(() => new SafeTensorsFile(path));
        Assert.Contains("header length 1000000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_HeaderNotJson_ThrowsClearError()
    {
        using var dir = new TempDirectory();
        var path = WriteRaw(dir, "{\"a\": {\"dtype\": \"F32\",", 16);

        var ex = Assert.Throws<InvalidDataException>(() => new SafeTensorsFile(path));
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_DataOffsetsPastEnd_ThrowsNamingTensor()
    {
        using var dir = new TempDirectory();
        var path = WriteRaw(dir, "{\"enc.w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", dataBytes: 8);

        var ex = Assert.Throws<InvalidDataException>(() => new SafeTensorsFile(path));
        Assert.Contains("'enc.w'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("past the data section", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ByteCountDisagreesWithShape_ThrowsNamingTensor()
    {
        using var dir = new TempDirectory();
        var path = WriteRaw(dir, "{\"enc.w\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,16]}}", dataBytes: 16);

        var ex = Assert.Throws<InvalidDataException>(() => new SafeTensorsFile(path));
        Assert.Contains("'enc.w'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("needs 8 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_UnknownDType_ThrowsNamingDType()
    {
        using var dir = new TempDirectory();
        var path = WriteRaw(dir, "{\"q\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", dataBytes: 2);

        var ex = Assert.Throws<InvalidDataException>(() => new SafeTensorsFile(path));
        Assert.Contains("F8_E4M3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_F64AndI64_ReadsValues()
    {
        using var dir = new TempDirectory();
        using var d = torch.tensor(new[] { 1.5, -2.25 });
        using var l = torch.tensor(new long[] { 7, -9, 11 });
        var path = dir.File("w.safetensors");
        SafeTensorsWriter.Write(path, [("d", d), ("l", l)]);

        using var file = new SafeTensorsFile(path);
        using var readD = file.Read(file["d"]);
        using var readL = file.Read(file["l"]);
        TensorAssert.Identical(d, readD);
        TensorAssert.Identical(l, readL);
    }

    private static string WriteRaw(TempDirectory dir, string header, int dataBytes)
    {
        var path = dir.File("raw.safetensors");
        var json = Encoding.UTF8.GetBytes(header);
        using var stream = File.Create(path);
        stream.Write(BitConverter.GetBytes((long)json.Length));
        stream.Write(json);
        stream.Write(new byte[dataBytes]);
        return path;
    }

    private static string SafeTensorsDTypeName(ScalarType t) => t switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };
}
