using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Model.Audio;

/// <summary>
/// Per-video-frame audio features from 16 kHz mono samples: wav2vec2 hidden states of every transformer layer
/// (hidden_states[1..], not the embedding output), resampled to the frame rate, each frame stacked with its
/// m neighbours on either side (clamped at the clip edges), as Hallo feeds its audio projection.
/// </summary>
/// <remarks>
/// Audio up to <see cref="AudioFeatureOptions.ChunkSeconds"/> is encoded in one pass and matches Hallo exactly.
/// Longer audio is cut at frame boundaries into chunks of that length; each chunk is encoded with
/// <see cref="AudioFeatureOptions.OverlapSeconds"/> of extra audio on both sides and only its own frames are kept,
/// so memory stays bounded. Attention then sees a ±overlap context instead of the whole clip, which changes the
/// features near chunk seams very slightly.
/// </remarks>
public sealed class AudioFeatureExtractor
{
    private readonly Wav2Vec2Model _encoder;
    private readonly int _minSamples;

    public AudioFeatureExtractor(Wav2Vec2Model encoder, AudioFeatureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        _encoder = encoder;
        Options = options ?? new AudioFeatureOptions();
        _minSamples = ReceptiveField(encoder.Config);
    }

    public AudioFeatureOptions Options { get; }

    /// <summary>Frames covering <paramref name="sampleCount"/> samples at <paramref name="fps"/> (rounded up, as Hallo).</summary>
    public static int FrameCount(long sampleCount, double fps) =>
        (int)Math.Ceiling(sampleCount / (double)AudioFeatureOptions.SampleRate * fps);

    /// <summary>Features for <paramref name="frameCount"/> frames (default: enough to cover the audio).</summary>
    /// <param name="samples">16 kHz mono samples; shorter audio is padded with silence, longer is cut to the frames.</param>
    /// <param name="fps">Video frame rate.</param>
    /// <param name="frameCount">Number of video frames F.</param>
    /// <returns>[F, 2m + 1, L, C] on the encoder's device and dtype (L = transformer layers, C = width).</returns>
    public Tensor Extract(float[] samples, double fps, int? frameCount = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fps);
        var frames = frameCount ?? FrameCount(samples.Length, fps);
        if (frames < 1 || samples.Length == 0)
        {
            throw new ArgumentException($"Need at least one frame and one sample (frames {frames}, samples {samples.Length}).", nameof(samples));
        }

        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var audio = torch.tensor(samples);
        if (Options.Normalize)
        {
            audio = NormalizeClip(audio);
        }

        audio = FitLength(audio, SampleIndex(frames, fps));
        var perFrame = EncodeChunked(audio, frames, fps);
        return StackWindows(perFrame, Options.ContextFrames).MoveToOuterDisposeScope();
    }

    private Tensor EncodeChunked(Tensor audio, int frames, double fps)
    {
        var chunk = Math.Max(1, (int)Math.Floor(Options.ChunkSeconds * fps));
        var overlap = Math.Max(0, (int)Math.Round(Options.OverlapSeconds * fps));
        var pieces = new List<Tensor>();
        for (var start = 0; start < frames; start += chunk)
        {
            using var chunkScope = NewDisposeScope();
            var end = Math.Min(frames, start + chunk);
            var from = frames <= chunk ? 0 : Math.Max(0, start - overlap);
            var to = frames <= chunk ? frames : Math.Min(frames, end + overlap);
            var s0 = SampleIndex(from, fps);
            var s1 = SampleIndex(to, fps);
            var encoded = EncodeFrames(audio.narrow(0, s0, s1 - s0), to - from);
            pieces.Add(encoded.narrow(0, start - from, end - start).contiguous().MoveToOuterDisposeScope());
        }

        return pieces.Count == 1 ? pieces[0] : torch.cat(pieces);
    }

    // One encoder pass over a clip; returns [frames, L, C].
    private Tensor EncodeFrames(Tensor clip, int frames)
    {
        var first = _encoder.parameters().First();
        var x = FitLength(clip, Math.Max(clip.shape[0], _minSamples)).to(first.dtype, first.device).unsqueeze(0);
        Tensor states;
        if (Options.Interpolation == AudioInterpolation.BeforeEncoder)
        {
            var features = _encoder.ExtractFeatures(x);
            states = _encoder.Encode(ResampleTime(features, frames));
        }
        else
        {
            var all = _encoder.forward(x);
            states = ResampleTime(all.squeeze(1), frames).unsqueeze(1);
        }

        // [1 + L, 1, F, C] -> drop the embedding output -> [F, L, C]
        return states.narrow(0, 1, states.shape[0] - 1).squeeze(1).permute(1, 0, 2).contiguous();
    }

    // [N, T, C] -> [N, frames, C], linear with align_corners as Hallo's linear_interpolation.
    private static Tensor ResampleTime(Tensor sequence, int frames)
    {
        var resampled = nn.functional.interpolate(
            sequence.transpose(1, 2), size: [frames], mode: InterpolationMode.Linear, align_corners: true);
        return resampled.transpose(1, 2);
    }

    private static Tensor StackWindows(Tensor perFrame, int context)
    {
        var frames = perFrame.shape[0];
        var offsets = torch.arange(-context, context + 1, dtype: ScalarType.Int64);
        var index = (torch.arange(frames, dtype: ScalarType.Int64).unsqueeze(1) + offsets.unsqueeze(0)).clamp(0, frames - 1);
        var gathered = perFrame.index_select(0, index.flatten().to(perFrame.device));
        return gathered.view(frames, (2 * context) + 1, perFrame.shape[1], perFrame.shape[2]);
    }

    // transformers' zero_mean_unit_var_norm: (x - mean) / sqrt(var + 1e-7), population variance.
    private static Tensor NormalizeClip(Tensor audio)
    {
        var wide = audio.to(ScalarType.Float64);
        var mean = wide.mean();
        var variance = (wide - mean).pow(2).mean();
        return ((wide - mean) / (variance + 1e-7).sqrt()).to(ScalarType.Float32);
    }

    private static Tensor FitLength(Tensor audio, long length)
    {
        var have = audio.shape[0];
        return have == length ? audio
            : have > length ? audio.narrow(0, 0, length)
            : nn.functional.pad(audio, [0, length - have]);
    }

    private static long SampleIndex(int frame, double fps) =>
        (long)Math.Round(frame * (double)AudioFeatureOptions.SampleRate / fps);

    private static int ReceptiveField(Wav2Vec2Config config)
    {
        var field = 1;
        var jump = 1;
        for (var i = 0; i < config.ConvKernel.Count; i++)
        {
            field += (config.ConvKernel[i] - 1) * jump;
            jump *= config.ConvStride[i];
        }

        return field;
    }
}
