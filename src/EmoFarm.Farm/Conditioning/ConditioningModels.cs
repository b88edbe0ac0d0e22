using EmoFarm.Faces.Identity;
using EmoFarm.Faces.Mesh;
using EmoFarm.Farm.Vocals;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace EmoFarm.Farm.Conditioning;

/// <summary>
/// The orchestrator's conditioning models, each loaded on first use. A model that is not configured, or whose
/// files are missing, is null with a reason; the reason is logged loudly once here and reported on every render,
/// because a render without it differs from Hallo's.
/// </summary>
public sealed partial class ConditioningModels(IOptions<ConditioningOptions> options, ILogger<ConditioningModels> logger) : IDisposable
{
    private readonly Lazy<(IdentityModels? Model, string Missing)> identity = new(() => LoadIdentity(options.Value, logger));
    private readonly Lazy<(FaceMesh? Model, string Missing)> mesh = new(() => LoadMesh(options.Value, logger));
    private readonly Lazy<(VocalSeparator? Model, string Missing)> separator = new(() => LoadSeparator(options.Value, logger));

    /// <summary>The face mesh is not thread-safe; holders of this lock may run it.</summary>
    public Lock MeshGate { get; } = new();

    /// <summary>One separation at a time: each holds gigabytes on the CPU.</summary>
    public SemaphoreSlim SeparatorGate { get; } = new(1, 1);

    public IdentityModels? Identity => identity.Value.Model;

    public string IdentityMissing => identity.Value.Missing;

    public FaceMesh? Mesh => mesh.Value.Model;

    public string MeshMissing => mesh.Value.Missing;

    public VocalSeparator? Separator => separator.Value.Model;

    public string SeparatorMissing => separator.Value.Missing;

    /// <summary>Loads everything now, so that a bad file stops the host at start rather than failing the first render.</summary>
    public void Warm()
    {
        _ = identity.Value;
        _ = mesh.Value;
        _ = separator.Value;
    }

    internal static SessionOptions Session(ConditioningOptions o)
    {
        var session = new SessionOptions();
        if (o.Provider == "cuda")
            session.AppendExecutionProvider_CUDA(0);
        return session;
    }

    private static (IdentityModels?, string) LoadIdentity(ConditioningOptions o, ILogger logger)
    {
        if (o.IdentityFolder is not { } folder)
            return Missing<IdentityModels>(logger, "identity embedding", "Conditioning:Release is empty (Hallo's pretrained_models/ holds face_analysis/models/)");
        if (!Directory.Exists(folder))
            return Missing<IdentityModels>(logger, "identity embedding", $"{folder} does not exist");
        using var session = Session(o);
        var loaded = IdentityModels.Open(folder, session);
        LogLoaded(logger, "insightface " + loaded.Detector.FileName + " + " + loaded.Recognizer.FileName, folder);
        return (loaded, "");
    }

    private static (FaceMesh?, string) LoadMesh(ConditioningOptions o, ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(o.FaceMeshFolder))
            return Missing<FaceMesh>(logger, "face mesh", "Conditioning:FaceMeshFolder is empty (scripts/install-face-api.sh installs human-models; the images ship it)");
        var loaded = FaceMesh.Load(o.FaceMeshFolder);
        LogLoaded(logger, FaceMesh.ModelName, o.FaceMeshFolder);
        return (loaded, "");
    }

    private static (VocalSeparator?, string) LoadSeparator(ConditioningOptions o, ILogger logger)
    {
        if (o.SeparatorFolder is not { } folder)
            return Missing<VocalSeparator>(logger, "vocal separator", "Conditioning:Release is empty (Hallo's pretrained_models/ holds audio_separator/Kim_Vocal_2.onnx)");
        if (!File.Exists(Path.Combine(folder, VocalSeparator.ModelFileName)))
            return Missing<VocalSeparator>(logger, "vocal separator", $"{Path.Combine(folder, VocalSeparator.ModelFileName)} does not exist");
        using var session = Session(o);
        var loaded = VocalSeparator.Open(folder, session);
        LogLoaded(logger, VocalSeparator.ModelFileName, folder);
        return (loaded, "");
    }

    private static (T?, string) Missing<T>(ILogger logger, string what, string reason)
        where T : class
    {
        LogMissing(logger, what, reason);
        return (null, reason);
    }

    public void Dispose()
    {
        if (identity.IsValueCreated) identity.Value.Model?.Dispose();
        if (mesh.IsValueCreated) mesh.Value.Model?.Dispose();
        if (separator.IsValueCreated) separator.Value.Model?.Dispose();
        SeparatorGate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "NO {What}: {Reason}. Renders differ from Hallo's, and each says so in its conditioning.")]
    private static partial void LogMissing(ILogger logger, string what, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "conditioning: {Model} loaded from {Folder}")]
    private static partial void LogLoaded(ILogger logger, string model, string folder);
}
