using EmoFarm.Model.Audio;
using EmoFarm.Model.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests.Parity;

/// <summary>
/// Compares <see cref="Wav2Vec2Model"/> with transformers on the files written by tests/parity/wav2vec2_parity.py:
/// weights.safetensors (a random transformers model, wav2vec2-base sizes), input.safetensors ("input" [1, S]) and
/// reference.safetensors ("hidden_states" [13, 1, T, 768], and "hallo_hidden_states" [13, 1, F, 768] with the
/// conv features resampled to F frames first, F in its metadata "frames").
/// </summary>
public static class Wav2Vec2Parity
{
    public static IReadOnlyList<ParityError> Run(string directory, Device? device = null, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        device ??= torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        output ??= Console.Out;
        using var weights = new SafeTensorsFile(System.IO.Path.Combine(directory, "weights.safetensors"));
        using var inputs = new SafeTensorsFile(System.IO.Path.Combine(directory, "input.safetensors"));
        using var reference = new SafeTensorsFile(System.IO.Path.Combine(directory, "reference.safetensors"));

        using var model = new Wav2Vec2Model(Wav2Vec2Config.Base);
        var report = CheckpointLoader.Load(model, [weights], renames: Wav2Vec2Model.CheckpointRenames);
        output.WriteLine($"loaded {report.Loaded} tensors; complete: {report.IsComplete}");
        report.EnsureComplete();
        model.to(device).eval();

        var results = new List<ParityError>();
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var input = inputs.Read(inputs["input"]).to(ScalarType.Float32).to(device);
        results.Add(Compare("hidden_states", model.forward(input), reference));

        if (reference.TryGetEntry("hallo_hidden_states", out var hallo))
        {
            var frames = (int)hallo.Shape[2];
            var features = model.ExtractFeatures(input).transpose(1, 2);
            var resampled = nn.functional.interpolate(features, size: [frames], mode: InterpolationMode.Linear, align_corners: true);
            results.Add(Compare("hallo_hidden_states", model.Encode(resampled.transpose(1, 2)), reference));
        }

        foreach (var r in results)
        {
            output.WriteLine(r);
        }

        return results;
    }

    /// <summary>Max |a - b| and max |a - b| / (|b| + 1e-6) against the named reference tensor.</summary>
    public static ParityError Compare(string name, Tensor actual, SafeTensorsFile reference)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(reference);
        using var scope = NewDisposeScope();
        var expected = reference.Read(reference[name]).to(ScalarType.Float64);
        var ours = actual.to(ScalarType.Float64).cpu();
        if (!ours.shape.SequenceEqual(expected.shape))
        {
            throw new InvalidDataException(
                $"{name}: shape [{string.Join(", ", ours.shape)}] vs reference [{string.Join(", ", expected.shape)}].");
        }

        var diff = (ours - expected).abs();
        var maxAbs = diff.max().item<double>();
        var maxRel = (diff / (expected.abs() + 1e-6)).max().item<double>();
        return new ParityError(name, maxAbs, maxRel);
    }
}
