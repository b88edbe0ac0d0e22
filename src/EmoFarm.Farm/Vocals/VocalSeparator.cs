using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace EmoFarm.Farm.Vocals;

/// <summary>
/// Hallo's vocal separation: audio-separator 0.17.2's MDX-Net path (MDXSeparator.separate) with the defaults Hallo
/// leaves (hop 1024, segment size 256, overlap 0.25, batch size 1, denoise off, normalisation threshold 0.9), run on
/// Kim_Vocal_2.onnx through ONNX Runtime. One instance may separate several mixes, one after another or at once.
/// </summary>
public sealed class VocalSeparator : IDisposable
{
    public const string ModelFileName = "Kim_Vocal_2.onnx";
    public const string ModelDataFileName = "mdx_model_data.json";
    public const int SampleRate = 44_100;
    public const int HopLength = 1024;
    public const int SegmentSize = 256;
    public const double Overlap = 0.25;
    public const double NormalizationThreshold = 0.9;

    private readonly InferenceSession _session;
    private readonly string _outputName;

    private VocalSeparator(InferenceSession session, string outputName, string modelPath, MdxModelParameters parameters)
    {
        _session = session;
        _outputName = outputName;
        ModelPath = modelPath;
        Parameters = parameters;
    }

    public string ModelPath { get; }

    public MdxModelParameters Parameters { get; }

    /// <summary>Opens <see cref="ModelFileName"/> with <see cref="ModelDataFileName"/> beside it, as Hallo's release folder holds them.</summary>
    public static VocalSeparator Open(string folder, SessionOptions? options = null) =>
        Open(Path.Combine(folder, ModelFileName), Path.Combine(folder, ModelDataFileName), options);

    /// <summary>
    /// Hashes the model as audio-separator does, takes its parameters from the json, and checks the ONNX signature
    /// against them; each failure throws <see cref="InvalidDataException"/> naming the file and the hash. The
    /// caller keeps ownership of <paramref name="options"/> (the GPU image passes one with CUDA appended).
    /// </summary>
    public static VocalSeparator Open(string modelPath, string modelDataPath, SessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"{modelPath}: the MDX-Net vocal model is not there", modelPath);
        var parameters = MdxModelData.Lookup(modelDataPath, MdxModelData.ComputeHash(modelPath), modelPath);
        var session = options is null ? new InferenceSession(modelPath) : new InferenceSession(modelPath, options);
        try
        {
            return new VocalSeparator(session, MdxOnnxSignature.Check(session, modelPath, parameters), modelPath, parameters);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>How many chunks the model runs on for a mix of <paramref name="samples"/> samples per channel.</summary>
    public int CountChunks(int samples) => Plan(samples).Chunks;

    /// <summary>
    /// The vocal stem of a 44.1 kHz stereo mix (float samples, 1.0 full scale, as librosa.load gives them), as
    /// audio-separator holds it before writing: the mix normalised to a 0.9 peak, demixed chunk by chunk with a Hann
    /// overlap-add, multiplied by compensate, normalised again. The caller's arrays are not changed. Throws
    /// <see cref="OperationCanceledException"/> when cancelled, within one model run.
    /// </summary>
    public VocalStem Separate(ReadOnlySpan<float> left, ReadOnlySpan<float> right,
        IProgress<SeparationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (left.Length != right.Length)
            throw new ArgumentException($"the left channel has {left.Length} samples and the right {right.Length}", nameof(right));
        if (left.IsEmpty || (UvrWave.Peak(left) == 0 && UvrWave.Peak(right) == 0))
            throw new ArgumentException("the mix is empty or silent; audio-separator refuses it (\"is empty or not valid\")", nameof(left));

        float[] l = left.ToArray(), r = right.ToArray();
        UvrWave.Normalize(l, r, NormalizationThreshold);
        var plan = Plan(l.Length);
        var stem = Demix(l, r, plan, progress, cancellationToken);
        UvrWave.Normalize(stem.Left, stem.Right, NormalizationThreshold);
        return stem;
    }

    public void Dispose() => _session.Dispose();

    private MdxChunkPlan Plan(int samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        var plan = MdxChunkPlan.For(samples, Parameters.NFft, HopLength, SegmentSize, Overlap);
        if (plan.MixtureLength > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(samples), samples, "the mix is too long to separate in one piece");
        return plan;
    }

    /// <summary>MDXSeparator.demix, is_match_mix=False, for the mix already normalised.</summary>
    private VocalStem Demix(float[] left, float[] right, MdxChunkPlan plan, IProgress<SeparationProgress>? progress, CancellationToken ct)
    {
        var length = (int)plan.MixtureLength;
        float[][] result = [new float[length], new float[length]];
        // numpy keeps one divider row per channel; both rows get the same windows, so one row is the same numbers.
        var divider = new float[length];
        var chunk = new float[2 * plan.ChunkSize];
        var fullWindow = UvrWave.Hanning(plan.ChunkSize);

        using var spectrogram = new MdxSpectrogram(Parameters.NFft, HopLength, Parameters.DimF);
        using var runOptions = new RunOptions();
        using var terminate = ct.Register(() => runOptions.Terminate = true);
        for (var c = 0; c < plan.Chunks; c++)
        {
            ct.ThrowIfCancellationRequested();
            var start = plan.Start(c);
            var actual = plan.Length(c);
            FillChunk(chunk, left, right, plan, start);
            var separated = RunChunk(chunk, plan.ChunkSize, spectrogram, runOptions, ct);
            var window = actual == plan.ChunkSize ? fullWindow : UvrWave.Hanning(actual);
            for (var ch = 0; ch < 2; ch++)
            {
                var row = result[ch];
                var offset = ch * plan.ChunkSize;
                for (var j = 0; j < actual; j++)
                    row[start + j] += (float)(separated[offset + j] * window[j]);
            }
            for (var j = 0; j < actual; j++)
                divider[start + j] = (float)(divider[start + j] + window[j]);
            progress?.Report(new SeparationProgress(c + 1, plan.Chunks));
        }

        var compensate = (float)Parameters.Compensate;
        float[][] stem = [new float[plan.Samples], new float[plan.Samples]];
        for (var ch = 0; ch < 2; ch++)
        {
            for (var i = 0; i < plan.Samples; i++)
                stem[ch][i] = result[ch][plan.Trim + i] / divider[plan.Trim + i] * compensate;
        }
        return new VocalStem(stem[0], stem[1]);
    }

    /// <summary>mixture[:, start:start + chunk], zero beyond its end, where mixture = [trim zeros, mix, pad zeros].</summary>
    private static void FillChunk(float[] chunk, float[] left, float[] right, MdxChunkPlan plan, long start)
    {
        Array.Clear(chunk);
        var from = Math.Max(start, plan.Trim);
        var to = Math.Min(start + plan.ChunkSize, (long)plan.Trim + plan.Samples);
        if (to <= from)
            return;
        var count = (int)(to - from);
        var source = (int)(from - plan.Trim);
        var target = (int)(from - start);
        Array.Copy(left, source, chunk, target, count);
        Array.Copy(right, source, chunk, plan.ChunkSize + target, count);
    }

    /// <summary>MDXSeparator.run_model: STFT, the model, inverse STFT; [2, chunk] samples in and out, planar.</summary>
    private float[] RunChunk(float[] chunk, int chunkSize, MdxSpectrogram spectrogram, RunOptions runOptions, CancellationToken ct)
    {
        using var scope = NewDisposeScope();
        var spek = spectrogram.Forward(tensor(chunk, [2, chunkSize]));
        long[] shape = [1, 4, Parameters.DimF, Parameters.DimT];
        if (spek.shape[2] != Parameters.DimT)
            throw new InvalidOperationException($"the STFT of a {chunkSize}-sample chunk has {spek.shape[2]} frames, not dim_t {Parameters.DimT}");
        var input = spek.data<float>().ToArray();
        float[] output;
        try
        {
            using var inputValue = OrtValue.CreateTensorValueFromMemory(input, shape);
            using var outputs = _session.Run(runOptions, [MdxOnnxSignature.InputName], [inputValue], [_outputName]);
            var produced = outputs[0].GetTensorTypeAndShape().Shape;
            if (!produced.SequenceEqual(shape))
                throw new InvalidDataException($"{ModelPath} (hash {Parameters.Hash}) returned [{string.Join(", ", produced)}] for an input of [{string.Join(", ", shape)}]");
            output = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        catch (OnnxRuntimeException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
        var wave = spectrogram.Inverse(tensor(output, [4, Parameters.DimF, Parameters.DimT]));
        return wave.data<float>().ToArray();
    }
}
