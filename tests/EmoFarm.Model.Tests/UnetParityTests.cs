using System.Text;
using System.Text.Json;
using EmoFarm.Model.Tests.Parity;
using EmoFarm.Model.Unet;
using EmoFarm.Model.Vae;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

/// <summary>
/// The parity harness itself: files in the layout unet_vae_parity.py writes, made here from our own tiny modules,
/// must load into freshly (differently) seeded modules and reproduce the outputs exactly.
/// </summary>
public sealed class UnetParityTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("emofarm-parity").FullName;

    [Fact]
    public void Run_FilesFromTinyModules_ReloadsWeightsAndMatchesExactly()
    {
        using (var scope = NewDisposeScope())
        {
            manual_seed(21);
            using var unet = new ReferenceNet(UnetConfig.Tiny, outputHead: true);
            using var vae = new AutoencoderKL(VaeConfig.Tiny);
            unet.eval();
            vae.eval();
            var sample = randn([2, 4, 16, 16]);
            var timestep = tensor(new long[] { 10, 700 });
            var context = randn([2, 77, 32]);
            var images = rand([2, 3, 128, 128]) * 2 - 1;
            var latents = vae.Encode(images);
            var io = new Dictionary<string, Tensor>
            {
                ["unet_sample"] = sample,
                ["unet_timestep"] = timestep,
                ["unet_context"] = context,
                ["unet_out"] = unet.Predict(sample, timestep, context),
                ["vae_images"] = images,
                ["vae_latents"] = latents,
                ["vae_decoded"] = vae.Decode(latents, 1),
            };
            Write("unet.safetensors", unet.state_dict());
            Write("vae.safetensors", vae.state_dict());
            Write("io.safetensors", io);
            File.WriteAllText(Path.Combine(dir, "config.json"), """{"preset": "tiny"}""");
        }

        manual_seed(99);
        var errors = UnetParity.Run(dir, log: TextWriter.Null);

        Assert.Equal(["unet_out", "vae_latents", "vae_decoded"], errors.Select(e => e.Name));
        Assert.All(errors, e => Assert.True(e.MaxRel < 1e-5, e.ToString()));
    }

    /// <summary>
    /// Against diffusers 0.27.2 itself: tests/fixtures/diffusers-parity was written by
    /// <c>tests/parity/unet_vae_parity.py --tiny --device cpu</c> (Debian's torch 1.13, fp32).
    /// </summary>
    [Fact]
    public void Run_DiffusersReferenceFiles_MatchWithinFloat32Tolerance()
    {
        var errors = UnetParity.Run(FixturePath("diffusers-parity"), "cpu", TextWriter.Null);

        Assert.Equal(["unet_out", "vae_latents", "vae_decoded"], errors.Select(e => e.Name));
        foreach (var e in errors)
        {
            TestContext.Current.SendDiagnosticMessage(e.ToString());
        }

        Assert.All(errors, e => Assert.True(e.MaxAbs < 1e-4, e.ToString()));
    }

    private static string FixturePath(string name)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "EmoFarm.sln")))
            {
                return Path.Combine(d.FullName, "tests", "fixtures", name);
            }
        }

        throw new InvalidOperationException("EmoFarm.sln not found above " + AppContext.BaseDirectory);
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private void Write(string name, IDictionary<string, Tensor> tensors)
    {
        var header = new Dictionary<string, object>();
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (key, value) in tensors)
        {
            var t = value.contiguous().cpu();
            var bytes = t.dtype == ScalarType.Int64
                ? t.data<long>().ToArray().SelectMany(BitConverter.GetBytes).ToArray()
                : t.to(ScalarType.Float32).data<float>().ToArray().SelectMany(BitConverter.GetBytes).ToArray();
            header[key] = new { dtype = t.dtype == ScalarType.Int64 ? "I64" : "F32", shape = t.shape, data_offsets = new[] { offset, offset + bytes.Length } };
            offset += bytes.Length;
            blobs.Add(bytes);
        }

        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        using var file = File.Create(Path.Combine(dir, name));
        file.Write(BitConverter.GetBytes((ulong)json.Length));
        file.Write(json);
        foreach (var blob in blobs)
        {
            file.Write(blob);
        }
    }
}
