using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using EmoFarm.Faces.Landmarks;
using EmoFarm.Faces.Masks;

namespace EmoFarm.Faces.Tests.Masks;

/// <summary>
/// tests/fixtures/hallo-masks, made by tests/parity/hallo_masks_reference.py from Hallo's own get_mask and
/// ImageProcessor: per case the landmarks and portrait size (inputs), expand_region's two boxes, the six PNGs
/// Hallo writes to its cache folder and its final tensors; and OpenCV's own Gaussian kernels.
/// </summary>
internal static class HalloMaskFixture
{
    public static string Folder { get; } = Path.Combine(FindRoot(), "tests", "fixtures", "hallo-masks");

    private static readonly Lazy<JsonDocument> Manifest = new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "cases.json"))));

    public static IEnumerable<string> CaseNames() =>
        Manifest.Value.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!);

    public static HalloMaskCase Case(string name)
    {
        var c = Manifest.Value.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        static MaskRegion Region(JsonElement e) => new(e[0].GetInt32(), e[1].GetInt32(), e[2].GetInt32(), e[3].GetInt32());
        return new HalloMaskCase(
            name,
            c.GetProperty("width").GetInt32(),
            c.GetProperty("height").GetInt32(),
            c.GetProperty("face_expand_ratio").GetDouble(),
            c.GetProperty("img_size").GetInt32(),
            [.. c.GetProperty("landmarks").EnumerateArray().Select(p => new FacePoint(p[0].GetDouble(), p[1].GetDouble()))],
            Region(c.GetProperty("lip_region")),
            Region(c.GetProperty("face_region")));
    }

    /// <summary><c>cv2.getGaussianKernel(n, 0, cv2.CV_64F)</c> as OpenCV returned it.</summary>
    public static double[] GaussianKernel(int n) =>
        [.. Manifest.Value.RootElement.GetProperty("gaussian_kernels").GetProperty(n.ToString(System.Globalization.CultureInfo.InvariantCulture)).EnumerateArray().Select(v => v.GetDouble())];

    /// <summary>One of the case's PNGs: lip_mask, face_mask, face_mask_blur, sep_lip, sep_background, sep_face.</summary>
    public static GrayImage Png(string name, string png) => GrayPng.Read(Path.Combine(Folder, name, png + ".png"));

    /// <summary>The case's final tensors (face_region, mask_{full,face,lip}_{0..3}), from its gzipped safetensors file.</summary>
    public static IReadOnlyDictionary<string, (long[] Shape, float[] Values)> Tensors(string name)
    {
        using var gz = new GZipStream(File.OpenRead(Path.Combine(Folder, name, "tensors.safetensors.gz")), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gz.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var result = new Dictionary<string, (long[], float[])>();
        foreach (var entry in header.RootElement.EnumerateObject().Where(e => e.Name != "__metadata__"))
        {
            if (entry.Value.GetProperty("dtype").GetString() != "F32")
                throw new InvalidDataException($"{name}: tensor {entry.Name} is {entry.Value.GetProperty("dtype")}, expected F32");
            var offsets = entry.Value.GetProperty("data_offsets");
            var start = 8 + headerLength + offsets[0].GetInt32();
            var end = 8 + headerLength + offsets[1].GetInt32();
            var values = new float[(end - start) / 4];
            for (var i = 0; i < values.Length; i++)
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(start + (4 * i)));
            result[entry.Name] = ([.. entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())], values);
        }

        return result;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EmoFarm.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("EmoFarm.sln not found above " + AppContext.BaseDirectory);
    }
}
