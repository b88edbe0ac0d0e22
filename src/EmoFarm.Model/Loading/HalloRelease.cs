using System.Text.Json;

namespace EmoFarm.Model.Loading;

/// <summary>
/// Hallo's <c>pretrained_models/</c> folder as its README downloads it, read as it is: <c>hallo/net.pth</c> is the net,
/// <c>sd-vae-ft-mse/</c> the VAE and <c>wav2vec/wav2vec2-base-960h/</c> the audio encoder. Where a component comes
/// both as safetensors and as a pickle, the safetensors file is used.
/// </summary>
public static class HalloRelease
{
    /// <summary>The file whose presence makes a folder a Hallo release.</summary>
    public const string NetPickle = "hallo/net.pth";

    public static IReadOnlyList<string> NetFiles { get; } = ["hallo/net.safetensors", NetPickle];

    public static IReadOnlyList<string> VaeFiles { get; } =
        ["sd-vae-ft-mse/diffusion_pytorch_model.safetensors", "sd-vae-ft-mse/diffusion_pytorch_model.bin"];

    public static IReadOnlyList<string> AudioEncoderFiles { get; } =
        ["wav2vec/wav2vec2-base-960h/model.safetensors", "wav2vec/wav2vec2-base-960h/pytorch_model.bin"];

    /// <summary>insightface's ONNX models (detector, ArcFace, landmarks, gender/age) that Hallo's FaceAnalysis reads.</summary>
    public const string FaceAnalysisModels = "face_analysis/models";

    /// <summary>The release's other sub-folders, none of which EmoFarm loads, and why.</summary>
    public static IReadOnlyList<(string Folder, string Use)> Others { get; } =
    [
        ("face_analysis", "read by the orchestrator (Conditioning:Release) for the identity embedding; models/ is described below"),
        ("audio_separator", "read by the orchestrator (Conditioning:Release) to separate the vocals; described below"),
        ("motion_module", "not needed: AnimateDiff's initial motion module; net.pth carries the trained copy"),
        ("stable-diffusion-v1-5", "not needed: net.pth carries both UNets' weights"),
    ];

    public static bool IsRelease(string folder) => File.Exists(Path.Combine(folder, NetPickle));

    /// <summary>Which of <see cref="Others"/> are present in <paramref name="folder"/>.</summary>
    public static IReadOnlyList<(string Folder, string Use)> OthersPresent(string folder) =>
        Others.Where(o => Directory.Exists(Path.Combine(folder, o.Folder))).ToList();

    /// <summary>
    /// The manifest of a release: <paramref name="read"/> (from an optional model.json, or defaults: sd15) with each
    /// file that <paramref name="json"/> does not name taken from the release's layout.
    /// </summary>
    internal static ModelManifest Complete(string folder, ModelManifest read, JsonElement? json)
    {
        bool Named(string property) =>
            json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty(property, out _);

        return read with
        {
            Net = Named("net") ? read.Net : Pick(folder, NetFiles),
            Vae = Named("vae") ? read.Vae : Pick(folder, VaeFiles),
            AudioEncoder = Named("audio_encoder") ? read.AudioEncoder : Pick(folder, AudioEncoderFiles),
            IsHalloRelease = true,
        };
    }

    // The first candidate present (safetensors come first), else the first, so that a missing file is named.
    private static string Pick(string folder, IReadOnlyList<string> candidates) =>
        candidates.FirstOrDefault(c => File.Exists(Path.Combine(folder, c))) ?? candidates[0];
}
