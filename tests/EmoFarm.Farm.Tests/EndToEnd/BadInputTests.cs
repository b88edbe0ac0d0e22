using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using EmoFarm.Api.V1;
using EmoFarm.Farm.Tests.Corpus;
using EmoFarm.Farm.Tests.Services;
using Grpc.Core;
using Xunit;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>Each bad input is refused with INVALID_ARGUMENT naming the field and the limit, and nothing is stored.</summary>
[Collection(ServicesCollectionDefinition.Name)]
public sealed class BadInputTests(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Cases => ["empty image", "truncated png", "text as audio", "zero-length audio", "audio over the maximum", "20000x20000 image", "unknown seam strategy", "fps out of range"];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Create_BadInput_InvalidArgumentNamesTheFieldAndStoresNothing(string name)
    {
        var portrait = TestMedia.Portrait();
        var speech = await TestMedia.SpeechAsync(8);
        var parameters = new RenderParameters { Width = 64, Height = 64 };
        var (image, audio, field, limit) = name switch
        {
            "empty image" => (Array.Empty<byte>(), speech, "image", "empty"),
            "truncated png" => (portrait[..(portrait.Length / 3)], speech, "image", "truncated"),
            "text as audio" => (portrait, "This is a text file, not a song.\n"u8.ToArray(), "audio", "not a readable audio file"),
            "zero-length audio" => (portrait, ZeroLengthWav(), "audio", "under the minimum of 0.1 s"),
            "audio over the maximum" => (portrait, speech, "audio", "over the maximum of 5 s"),
            "20000x20000 image" => (HugePngHeader(20_000, 20_000), speech, "image", "20000x20000, over the limit of 8192"),
            "unknown seam strategy" => (portrait, speech, "parameters.seam_strategy", "not a known value"),
            "fps out of range" => (portrait, speech, "parameters.fps", "outside 1..60"),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        if (name == "unknown seam strategy")
            parameters.SeamStrategy = (SeamStrategy)99;
        if (name == "fps out of range")
            parameters.Fps = 240;

        await using var farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        farm.OrchestratorSettings["Orchestrator__MaxAudioSeconds"] = "5";
        await farm.StartOrchestratorAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => farm.SubmitAsync(image, audio, parameters));
        Refusal.AssertViolation(error, field, limit);
        await Refusal.AssertNothingStoredAsync(farm, Ct);
    }

    private static byte[] ZeroLengthWav()
    {
        var wav = new byte[44];
        "RIFF"u8.CopyTo(wav);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(4), 36);
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(22), 1);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(24), 16_000);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(28), 32_000);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(32), 2);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(34), 16);
        "data"u8.CopyTo(wav.AsSpan(36));
        return wav;
    }

    /// <summary>A valid PNG header announcing an enormous image, with one row of pixel data: refused from the header.</summary>
    private static byte[] HugePngHeader(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        ImageMutator.Chunk(png, "IHDR", ihdr);
        using var data = new MemoryStream();
        using (var z = new ZLibStream(data, CompressionLevel.Fastest, leaveOpen: true))
            z.Write(new byte[width * 3 + 1]);
        ImageMutator.Chunk(png, "IDAT", data.ToArray());
        ImageMutator.Chunk(png, "IEND", []);
        return png.ToArray();
    }
}
