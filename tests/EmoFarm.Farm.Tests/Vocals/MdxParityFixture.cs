using System.Globalization;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Farm.Vocals;
using EmoFarm.Model.Checkpoints;

namespace EmoFarm.Farm.Tests.Vocals;

/// <summary>
/// tests/fixtures/mdx-parity as tests/parity/mdx_reference.py wrote it: the random-weight Kim_Vocal_2.onnx, an
/// mdx_model_data.json giving its hash Kim_Vocal_2's parameters, and reference.safetensors with audio-separator's
/// stem and the 16 kHz mono samples Hallo would hand wav2vec2. The C# separation runs once for the whole class.
/// </summary>
public sealed class MdxParityFixture : IDisposable
{
    public static readonly string Folder = Path.Combine(RepoPaths.Root, "tests", "fixtures", "mdx-parity");

    private readonly Lazy<(VocalStem Stem, List<SeparationProgress> Progress, TimeSpan Took)> _separated;

    public MdxParityFixture()
    {
        using var reference = new SafeTensorsFile(Path.Combine(Folder, "reference.safetensors"));
        Metadata = new Dictionary<string, string>(reference.Metadata);
        using var stem = reference.Read(reference["stem"]);
        var samples = (int)stem.shape[1];
        var flat = stem.data<float>().ToArray();
        ReferenceStem = new VocalStem(flat[..samples], flat[samples..]);
        using var wav2vec = reference.Read(reference["wav2vec_input"]);
        ReferenceWav2Vec2Input = wav2vec.data<float>().ToArray();
        Mix = ParityMix.Interleaved(Number("samples"));
        Separator = VocalSeparator.Open(Folder);
        _separated = new(() =>
        {
            var (left, right) = ParityMix.Planar(Mix);
            var progress = new List<SeparationProgress>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = Separator.Separate(left, right, new SynchronousProgress<SeparationProgress>(progress.Add));
            return (result, progress, clock.Elapsed);
        });
    }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The int16 mix, interleaved [samples, 2].</summary>
    public short[] Mix { get; }

    public VocalStem ReferenceStem { get; }

    public float[] ReferenceWav2Vec2Input { get; }

    public VocalSeparator Separator { get; }

    /// <summary>The C# stem of the fixture mix, with the progress it reported and the time it took.</summary>
    public (VocalStem Stem, List<SeparationProgress> Progress, TimeSpan Took) Separated => _separated.Value;

    public int Number(string key) => int.Parse(Metadata[key], CultureInfo.InvariantCulture);

    public void Dispose() => Separator.Dispose();
}
