using EmoFarm.Model.Audio;
using EmoFarm.Model.Checkpoints;
using EmoFarm.Model.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Model.Loading;

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
    public IReadOnlyList<ComponentReport> Load(string folder, ModelManifest manifest, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var reports = new List<ComponentReport>();
        foreach (var part in Parts(manifest))
        {
            var path = Path.Combine(folder, part.File);
            if (!File.Exists(path))
                throw new FileNotFoundException($"model component '{part.Component}' expects {path}", path);
            using var tensors = CheckpointFiles.Open(path);
            var report = CheckpointLoader.Load(
                part.Module, [tensors], renames: part.Renames, allowedMissingPrefixes: part.Optional, dryRun: dryRun,
                stripPrefix: part.StripPrefix, ignoredKeys: part.Ignored);
            reports.Add(new ComponentReport(part.Component, part.File, tensors.Format, report));
        }
        return reports;
    }

    private IEnumerable<Part> Parts(ModelManifest m)
    {
        yield return new("net", m.Net, Net, null, [HalloNet.SpeedPrefix], "", []);
        yield return new("vae", m.Vae, Vae, AutoencoderKL.CheckpointRenames, [], "", []);
        // Either Wav2Vec2Model's own file or Wav2Vec2ForCTC's (Hallo ships that one): its prefix and CTC head.
        yield return new("audio_encoder", m.AudioEncoder, AudioEncoder, Wav2Vec2Model.CheckpointRenames, [],
            Wav2Vec2Model.CtcPrefix, Wav2Vec2Model.CtcHeadKeys);
    }

    public void Dispose()
    {
        Net.Dispose();
        Vae.Dispose();
        AudioEncoder.Dispose();
    }

    private sealed record Part(
        string Component,
        string File,
        nn.Module Module,
        IReadOnlyDictionary<string, string>? Renames,
        string[] Optional,
        string StripPrefix,
        IReadOnlyList<string> Ignored);
}
