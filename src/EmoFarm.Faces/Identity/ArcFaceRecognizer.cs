using System.Numerics;
using EmoFarm.Contracts.Rendering;
using Microsoft.ML.OnnxRuntime;

namespace EmoFarm.Faces.Identity;

/// <summary>
/// insightface 0.7.3's <c>ArcFaceONNX.get</c>: norm_crop at the model's input size, blobFromImages with the
/// normalisation chosen from the graph's first nodes, and the raw (not normalised) output, flattened.
/// </summary>
internal sealed class ArcFaceRecognizer(InferenceSession session, OnnxModelDescription model) : IDisposable
{
    private readonly string inputName = model.Inputs[0].Name;
    private readonly string outputName = model.Outputs[0].Name;

    public OnnxModelDescription Model { get; } = model;

    /// <summary>input_size[0]: the crop's side.</summary>
    public int Size { get; } = (int)model.Inputs[0].Dim(3)!.Value;

    public byte[] Crop(RgbImage image, IReadOnlyList<Vector2> keypoints) =>
        ArcFaceAlignment.NormCrop(image.Pixels, image.Width, image.Height, keypoints, Size);

    public float[] Embed(RgbImage image, IReadOnlyList<Vector2> keypoints) => EmbedCrop(Crop(image, keypoints));

    /// <summary>The embedding of an aligned <see cref="Size"/>² RGB crop.</summary>
    public float[] EmbedCrop(byte[] crop)
    {
        if (crop.Length != Size * Size * 3)
            throw new ArgumentException($"the crop holds {crop.Length} bytes, not {Size}×{Size}×3", nameof(crop));
        var blob = NchwBlob.FromRgb(crop, Size, Size, Model.InputMean!.Value, Model.InputStd!.Value);
        using var input = OrtValue.CreateTensorValueFromMemory(blob, [1, 3, Size, Size]);
        using var options = new RunOptions();
        using var results = session.Run(options, [inputName], [input], [outputName]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose() => session.Dispose();
}
