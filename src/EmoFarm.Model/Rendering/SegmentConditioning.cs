using EmoFarm.Contracts.Rendering;
using EmoFarm.Model.Loading;
using EmoFarm.Model.Unet;
using static TorchSharp.torch;

namespace EmoFarm.Model.Rendering;

/// <summary>
/// One segment's conditioning on the device, built once: the identity tokens and the face locator's features for
/// each guidance row, and the audio attention's region masks. Rows are laid out unconditional first.
/// </summary>
internal sealed class SegmentConditioning : IDisposable
{
    public SegmentConditioning(EmoModel model, SegmentSetup setup, int batch, long latentHeight, long latentWidth)
    {
        using var scope = NewDisposeScope();
        var net = model.Parts.Net;
        var s = setup.Settings;
        var c = setup.Conditioning;

        // Hallo's FaceAnimatePipeline: encoder_hidden_states = image_proj(face_emb), and the unconditional row gets
        // image_proj(torch.zeros_like(face_emb)), which is not zero (the projection has a bias). A portrait without a
        // face has a zero embedding in Hallo, so both rows are then the same.
        var embedding = c?.FaceEmbedding is { } e
            ? CheckedLength(e, model.Config.FaceEmbeddingDim, "face embedding").to(model.Dtype, model.Device).unsqueeze(0)
            : zeros([1, model.Config.FaceEmbeddingDim], model.Dtype, model.Device);
        var identity = net.ImageProjection.forward(embedding);
        var unconditional = net.ImageProjection.forward(zeros_like(embedding));
        ImageTokens = cat([unconditional.expand(batch - 1, -1, -1), identity], 0).DetachFromDisposeScope();

        // Hallo: face_mask = cat([zeros_like(face_mask), face_mask]): the unconditional row gets no face locator.
        var mask = c?.FaceMask is { } m
            ? CheckedLength(m, (long)s.Width * s.Height, "face mask").reshape(1, 1, s.Height, s.Width).expand(-1, 3, -1, -1)
            : FaceRegionMask.Mask(s.Width, s.Height, s.FaceRegion);
        var face = net.FaceLocator.forward(mask.to(model.Dtype, model.Device));
        FaceFeatures = cat([zeros_like(face).expand(batch - 1, -1, -1, -1), face], 0).contiguous().DetachFromDisposeScope();

        // Hallo doubles each mask for the two guidance rows; one row broadcast over every row is the same.
        Masks = c?.Masks is { } r
            ? new AudioRegionMasks(Levels(r.Full, "full"), Levels(r.Face, "face"), Levels(r.Lip, "lip"))
            : AudioRegionMasks.Ones(latentHeight, latentWidth, model.Config.Unet.Levels, model.Device);
        foreach (var level in Tensors(Masks))
            level.DetachFromDisposeScope();

        IReadOnlyList<Tensor> Levels(IReadOnlyList<float[]> levels, string kind)
        {
            // Hallo's masks always come in its four levels; a smaller model (the tiny preset's three) uses the finer ones.
            if (levels.Count < model.Config.Unet.Levels)
                throw new ArgumentException($"{kind} masks: {levels.Count} levels given, the model has {model.Config.Unet.Levels}");
            return [.. levels.Take(model.Config.Unet.Levels).Select((values, i) =>
                CheckedLength(values, (latentHeight >> i) * (latentWidth >> i), $"{kind} mask of level {i}").unsqueeze(0).to(model.Device))];
        }
    }

    /// <summary>[B, T, dim]: image_proj(zeros) for the unconditional rows, image_proj(embedding) for the last.</summary>
    public Tensor ImageTokens { get; }

    /// <summary>[B, C0, h, w]: zeros for the unconditional rows.</summary>
    public Tensor FaceFeatures { get; }

    public AudioRegionMasks Masks { get; }

    private static Tensor CheckedLength(float[] values, long expected, string what) => values.Length == expected
        ? tensor(values)
        : throw new ArgumentException($"{what}: {values.Length} values, expected {expected}");

    private static IEnumerable<Tensor> Tensors(AudioRegionMasks masks) =>
        masks.Full.Concat(masks.Face).Concat(masks.Lip).Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>();

    public void Dispose()
    {
        ImageTokens.Dispose();
        FaceFeatures.Dispose();
        foreach (var level in Tensors(Masks))
            level.Dispose();
    }
}
