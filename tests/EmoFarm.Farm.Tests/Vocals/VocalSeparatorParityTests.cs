using System.Security.Cryptography;
using EmoFarm.Farm.Vocals;
using EmoFarm.Testing;
using Xunit;

namespace EmoFarm.Farm.Tests.Vocals;

/// <summary>
/// EmoFarm.Farm.Vocals against audio-separator 0.17.2's own code (tests/parity/mdx_reference.py) on the same
/// random-weight model and mix: 9 s, 3 chunks, so both seams and the shorter last chunk fall on the signal.
/// </summary>
public sealed class VocalSeparatorParityTests(MdxParityFixture fixture, ITestOutputHelper output) : IClassFixture<MdxParityFixture>
{
    /// <summary>
    /// fp32 against fp32 through different FFTs (libtorch 2.10 here, Debian's torch 1.13 there) and different conv
    /// kernels (ONNX Runtime here, torch there): measured 4.8e-7 on a stem of peak 0.9. The last chunk windowed
    /// with the full chunk's Hann window instead of its own shorter one gives 1e-2; an index, bin or scale mistake
    /// is of the order of the signal.
    /// </summary>
    private const float StemTolerance = 2e-6f;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void ParityMix_Generated_IsTheReferencesMix()
    {
        var bytes = new byte[fixture.Mix.Length * 2];
        Buffer.BlockCopy(fixture.Mix, 0, bytes, 0, bytes.Length);
#pragma warning disable CA5351 // the fixture's checksum of the mix, not security
        Assert.Equal(fixture.Metadata["mix_md5"], Convert.ToHexStringLower(MD5.HashData(bytes)));
#pragma warning restore CA5351
    }

    [Fact]
    public void ComputeHash_FixtureModel_IsAudioSeparatorsHash() =>
        Assert.Equal(fixture.Metadata["model_hash"], MdxModelData.ComputeHash(Path.Combine(MdxParityFixture.Folder, VocalSeparator.ModelFileName)));

    [Fact]
    public void ComputeHash_FileLongerThanTheTail_IsAudioSeparatorsTailHash()
    {
        using var folder = new TempFolder("mdx-hash");
        var path = folder.File("probe.bin");
        var bytes = new byte[fixture.Number("hash_probe_bytes")];
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)((i * 31 + (i >> 8)) & 0xFF);
        File.WriteAllBytes(path, bytes);
        Assert.Equal(fixture.Metadata["hash_probe_md5_tail"], MdxModelData.ComputeHash(path));
    }

    [Fact]
    public void Open_FixtureFolder_HasKimVocal2sEntry()
    {
        // UVR's entry for Kim_Vocal_2 (970b3f9492014d18fefeedfe4773cb42), which the fixture json repeats under the model's hash.
        Assert.Equal(new MdxModelParameters(fixture.Metadata["model_hash"], 1.009, 3072, 256, 7680, "Vocals"), fixture.Separator.Parameters);
        Assert.Equal(fixture.Number("chunks"), fixture.Separator.CountChunks(fixture.Number("samples")));
    }

    [Fact]
    public void Separate_FixtureMix_IsAudioSeparatorsStem()
    {
        var (stem, progress, took) = fixture.Separated;
        var reference = fixture.ReferenceStem;
        Assert.Equal(reference.Samples, stem.Samples);
        var left = MaxAbsDifference(stem.Left, reference.Left);
        var right = MaxAbsDifference(stem.Right, reference.Right);
        output.WriteLine($"largest |C# − audio-separator|: left {left:E2}, right {right:E2}; stem peak {Peak(reference):F7}; " +
            $"{progress.Count} chunks in {took.TotalSeconds:F2} s");
        Assert.True(left <= StemTolerance && right <= StemTolerance, $"largest differences {left:E2} and {right:E2} exceed {StemTolerance:E1}");
        var chunks = fixture.Number("chunks");
        Assert.Equal(Enumerable.Range(1, chunks).Select(i => new SeparationProgress(i, chunks)), progress);
    }

    [Fact]
    public void ToWav_ReferenceStem_IsTheFileAudioSeparatorWrote()
    {
        var wav = StemWavWriter.ToWav(fixture.ReferenceStem);
#pragma warning disable CA5351 // the fixture's checksum of the file, not security
        Assert.Equal(fixture.Metadata["stem_file_md5"], Convert.ToHexStringLower(MD5.HashData(wav)));
#pragma warning restore CA5351
    }

    [Fact]
    public async Task ToWav2Vec2Input_ReferenceStem_IsWhatHalloGivesWav2Vec2()
    {
        var samples = await HalloVocals.ToWav2Vec2InputAsync(fixture.ReferenceStem, cancellationToken: Ct);
        Assert.Equal(fixture.ReferenceWav2Vec2Input, samples);
    }

    /// <summary>
    /// The whole path from a WAV file on disk, as Hallo runs it: decoded, separated, written, resampled, downmixed.
    /// Where the C# stem's last bit differs, int16 truncation can land one step apart, so a few samples of the
    /// 16 kHz result differ by a step of 1/32768 (measured: 646 of 144000, by 1 / 32768); a wrong stem, quantisation
    /// or resampling differs almost everywhere.
    /// </summary>
    [Fact]
    public async Task SeparateForWav2Vec2_FixtureWav_IsWhatHalloGivesWav2Vec2()
    {
        using var folder = new TempFolder("mdx-mix");
        var path = folder.File("mix.wav");
        await File.WriteAllBytesAsync(path, PcmWav.Write(fixture.Mix, 2, ParityMix.SampleRate), Ct);
        var (left, right) = await MixDecoder.DecodeAsync(path, Ct);
        var (expectedLeft, expectedRight) = ParityMix.Planar(fixture.Mix);
        Assert.Equal(expectedLeft, left);
        Assert.Equal(expectedRight, right);

        var samples = await HalloVocals.SeparateForWav2Vec2Async(fixture.Separator, left, right, cancellationToken: Ct);
        var reference = fixture.ReferenceWav2Vec2Input;
        Assert.Equal(reference.Length, samples.Length);
        var largest = MaxAbsDifference(samples, reference);
        var differing = samples.Zip(reference).Count(p => p.First != p.Second);
        output.WriteLine($"16 kHz mono: {differing} of {samples.Length} samples differ, the largest by {largest * 32768:F1} / 32768");
        Assert.True(largest <= 2f / 32768, $"largest difference {largest * 32768:F1} / 32768");
        Assert.True(differing <= samples.Length / 50, $"{differing} of {samples.Length} samples differ");
    }

    private static float MaxAbsDifference(float[] a, float[] b) => a.Zip(b).Max(p => Math.Abs(p.First - p.Second));

    private static float Peak(VocalStem stem) => Math.Max(stem.Left.Max(Math.Abs), stem.Right.Max(Math.Abs));
}
