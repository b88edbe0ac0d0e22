using EmoFarm.Faces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Faces;

/// <summary>
/// The face nets of this process, loaded on first use (a few MB, a second on the CPU). Null when face analysis is
/// off; the warning saying so is logged once, at the first use.
/// </summary>
public sealed partial class FaceModels(IOptions<FaceOptions> options, ILogger<FaceModels> logger) : IDisposable
{
    private readonly Lazy<FaceAnalyzer?> analyzer = new(() => Load(options.Value, logger));

    public FaceOptions Options => options.Value;

    public FaceAnalyzer? Analyzer => analyzer.Value;

    private static FaceAnalyzer? Load(FaceOptions options, ILogger logger)
    {
        if (!options.Enabled)
        {
            LogDisabled(logger);
            return null;
        }

        var loaded = FaceAnalyzer.Load(options.ModelFolder!, TorchSharp.torch.device(options.Device));
        LogLoaded(logger, options.ModelFolder!, options.Device);
        return loaded;
    }

    public void Dispose()
    {
        if (analyzer.IsValueCreated) analyzer.Value?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "FACE ANALYSIS IS OFF (Faces:ModelFolder is empty): portraits are centre-cropped without finding the face, the face mask is the centred box, and no render is quality-checked. Run scripts/install-face-api.sh and set Faces:ModelFolder to the folder it prints.")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "face analysis loaded from {Folder} on {Device}")]
    private static partial void LogLoaded(ILogger logger, string folder, string device);
}
