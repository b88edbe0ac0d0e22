using EmoFarm.Model.Audio;
using EmoFarm.Model.Checkpoints;
using EmoFarm.Model.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Model.Rendering;

/// <summary>The three files of a model and how each loads: one place, used by both loading and inspection.</summary>
public sealed class ModelComponents : IDisposable
{
    public ModelComponents(EmoModelConfig config)
    {
        Config = config;
        Net = new HalloNet(config);
        Vae = new AutoencoderKL(config.Vae);
        AudioEncoder = new Wav2Vec2Model(config.AudioEncoder);
    }

    public EmoModelConfig Config { get; }
    public HalloNet Net { get; }
    public AutoencoderKL Vae { get; }
    public Wav2Vec2Model AudioEncoder { get; }

    /// <summary>Builds the modules without allocating their weights, to compare names and shapes only.</summary>
    public static ModelComponents OnMeta(EmoModelConfig config)
    {
        set_default_device(META);
        try
        {
            return new ModelComponents(config);
        }
        finally
        {
            set_default_device(CPU);
        }
    }

    /// <summary>Loads (or, with <paramref name="dryRun"/>, only checks) every component; one report each.</summary>
    public IReadOnlyList<(string Component, string File, LoadReport Report)> Load(string folder, ModelManifest manifest, bool dryRun)
    {
        var reports = new List<(string, string, LoadReport)>();
        foreach (var (component, file, module, renames, optional) in Parts(manifest))
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path))
                throw new FileNotFoundException($"model component '{component}' expects {path}", path);
            using var tensors = new SafeTensorsFile(path);
            reports.Add((component, file, CheckpointLoader.Load(module, [tensors], renames: renames, allowedMissingPrefixes: optional, dryRun: dryRun)));
        }
        return reports;
    }

    private IEnumerable<(string, string, nn.Module, IReadOnlyDictionary<string, string>?, string[])> Parts(ModelManifest m)
    {
        yield return ("net", m.Net, Net, null, [HalloNet.SpeedPrefix]);
        yield return ("vae", m.Vae, Vae, null, []);
        yield return ("audio_encoder", m.AudioEncoder, AudioEncoder, Wav2Vec2Model.CheckpointRenames, []);
    }

    public void Dispose()
    {
        Net.Dispose();
        Vae.Dispose();
        AudioEncoder.Dispose();
    }
}
