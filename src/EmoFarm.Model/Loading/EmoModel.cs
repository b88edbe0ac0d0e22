using EmoFarm.Model.Checkpoints;
using Microsoft.Extensions.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Model.Loading;

/// <summary>
/// The loaded model on its device: built on the CPU, filled from the checkpoint (every key and shape checked
/// first), cast, then moved. Without a checkpoint it runs only when random weights were asked for, and says so.
/// </summary>
public sealed partial class EmoModel : IDisposable
{
    /// <summary>Seed of the random weights, so two workers with --random-weights agree frame for frame.</summary>
    public const int RandomWeightsSeed = 20240227;

    private EmoModel(ModelComponents parts, Device device, ScalarType dtype, bool randomWeights, string source)
    {
        Parts = parts;
        Device = device;
        Dtype = dtype;
        RandomWeights = randomWeights;
        Source = source;
    }

    public ModelComponents Parts { get; }
    public EmoModelConfig Config => Parts.Config;
    public Device Device { get; }
    public ScalarType Dtype { get; }
    public bool RandomWeights { get; }
    public string Source { get; }

    public static EmoModel Load(ModelOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var device = ResolveDevice(options.Device);
        var dtype = ResolveDtype(options.Dtype, device);
        ModelComponents parts;
        string source;
        if (string.IsNullOrWhiteSpace(options.Weights))
        {
            if (!options.RandomWeights)
            {
                throw new ModelNotConfiguredException(
                    "No model weights were given. Set Model:Weights (CLI: --weights DIR) to a folder with model.json and the "
                    + "files it names, or to Hallo's pretrained_models/ folder as downloaded (docs/checkpoints.md). To run the pipeline anyway on seeded random weights, whose "
                    + "output is noise, say so with Model:RandomWeights=true (CLI: --random-weights).");
            }

            manual_seed(RandomWeightsSeed);
            parts = new ModelComponents(EmoModelConfig.Named(options.Config));
            source = "RANDOM WEIGHTS";
            LogRandomWeights(logger, parts.Config.Name);
        }
        else
        {
            var manifest = ModelManifest.Read(options.Weights);
            parts = new ModelComponents(manifest.ToConfig());
            var reports = parts.Load(options.Weights, manifest, dryRun: false);
            if (reports.Any(r => !r.Report.IsComplete))
            {
                parts.Dispose();
                throw new CheckpointMismatchException(
                    $"the checkpoint in {options.Weights} does not load completely:\n"
                    + string.Join("\n", reports.Where(r => !r.Report.IsComplete).Select(r => $"[{r.Component}: {r.File}]\n{r.Report.Describe()}")));
            }
            source = Path.GetFullPath(options.Weights);
        }

        foreach (var module in new nn.Module[] { parts.Net, parts.Vae, parts.AudioEncoder })
        {
            module.to(dtype).to(device);
            module.eval();
        }
        var where = $"{device} as {dtype}";
        LogLoaded(logger, parts.Config.Name, source, where);
        return new EmoModel(parts, device, dtype, source == "RANDOM WEIGHTS", source);
    }

    private static Device ResolveDevice(string? name) => string.IsNullOrWhiteSpace(name)
        ? (cuda.is_available() ? CUDA : CPU)
        : new Device(name);

    private static ScalarType ResolveDtype(string? name, Device device) => name?.ToLowerInvariant() switch
    {
        null or "" => device.type == DeviceType.CUDA ? ScalarType.BFloat16 : ScalarType.Float32,
        "float32" or "fp32" => ScalarType.Float32,
        "bfloat16" or "bf16" => ScalarType.BFloat16,
        "float16" or "fp16" => ScalarType.Float16,
        _ => throw new ArgumentException($"Model:Dtype '{name}' is not one of float32, bfloat16, float16"),
    };

    public void Dispose() => Parts.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "MODEL HAS RANDOM WEIGHTS ({Config}): no checkpoint was loaded, every frame it renders is noise")]
    private static partial void LogRandomWeights(ILogger logger, string config);

    [LoggerMessage(Level = LogLevel.Information, Message = "model {Config} loaded from {Source} on {Placement}")]
    private static partial void LogLoaded(ILogger logger, string config, string source, string placement);
}
