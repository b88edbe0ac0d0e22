using EmoFarm.Faces.Weights;
using Xunit;

namespace EmoFarm.Faces.Tests;

public sealed class TfjsWeightsTests
{
    [Fact]
    public void Uint8_weights_dequantise_as_tensorflow_js_does()
    {
        var spec = new TfjsWeightSpec("w", [3], "float32", new TfjsQuantization("uint8", 0.5, -1.0));
        Assert.Equal([-1f, -0.5f, 126.5f], TfjsWeights.Decode(spec, [0, 1, 255]));
    }

    [Fact]
    public void Float16_weights_widen_to_float32()
    {
        var spec = new TfjsWeightSpec("w", [2], "float32", new TfjsQuantization("float16", null, null));
        Assert.Equal([1f, -2f], TfjsWeights.Decode(spec, [0x00, 0x3C, 0x00, 0xC0]));
    }

    [Theory]
    [InlineData("ssd_mobilenetv1_model")]
    [InlineData("tiny_face_detector_model")]
    [InlineData("face_landmark_68_model")]
    [InlineData("face_recognition_model")]
    public void Every_packaged_model_reads_to_the_last_byte(string model)
    {
        var weights = TfjsWeights.Load(FaceApiPackage.Models, model);
        Assert.NotEmpty(weights);
        Assert.All(weights.Values, w => Assert.Equal(w.Shape.Aggregate(1L, (n, d) => n * d), w.Values.LongLength));
        Assert.All(weights.Values, w => Assert.All(w.Values, v => Assert.True(float.IsFinite(v), w.Name)));
    }

    [Fact]
    public void A_missing_model_names_the_manifest_and_the_install_script()
    {
        var error = Assert.Throws<FileNotFoundException>(() => TfjsWeights.Load(FaceApiPackage.Models, "no_such_model"));
        Assert.Contains("no_such_model-weights_manifest.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("install-face-api.sh", error.Message, StringComparison.Ordinal);
    }
}
