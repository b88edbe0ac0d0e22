using System.Diagnostics;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Model.Audio;
using EmoFarm.Model.Loading;
using EmoFarm.Model.Sampling;
using EmoFarm.Model.Unet;
using static TorchSharp.torch;

namespace EmoFarm.Model.Rendering;

/// <summary>
/// One segment, rendered as Hallo's <c>scripts/inference.py</c> renders a track: audio tokens for every frame and
/// the portrait's conditioning are prepared once on the inference thread and kept on the device; each clip then
/// runs the ReferenceNet on (portrait + motion frames) and <c>FaceAnimatePipeline</c>'s sampling loop.
/// </summary>
internal sealed class EmoSegmentSession : ISegmentSession
{
    private readonly EmoModel _model;
    private readonly InferenceThread _thread;
    private readonly SegmentSetup _setup;
    private readonly int _decodeChunk;
    private readonly ISamplingProbe? _probe;
    private readonly Tensor _audioTokens;   // [F', tokens, dim], F' = frames rounded up to whole clips
    private readonly Tensor _portrait;      // [1, 3, H, W] in [-1, 1]
    private readonly SegmentConditioning _conditioning;
    private readonly bool _twoScales;
    private readonly int _batch;
    private readonly long _latentHeight, _latentWidth;
    private MotionMemory _motion = MotionMemory.Empty;

    /// <param name="parent">The caller's span, captured before the work was queued onto the inference thread.</param>
    public EmoSegmentSession(EmoModel model, InferenceThread thread, SegmentSetup setup, int decodeChunk, ActivityContext parent, ISamplingProbe? probe)
    {
        using var activity = ModelTelemetry.Source.StartActivity("audio encoder", ActivityKind.Internal, parent);
        activity?.SetTag("emofarm.render_id", setup.RenderId);
        _model = model;
        _thread = thread;
        _setup = setup;
        _decodeChunk = decodeChunk;
        _probe = probe;
        var s = setup.Settings;
        _twoScales = Math.Abs(s.ReferenceGuidanceScale - s.GuidanceScale) > 1e-6;
        _batch = _twoScales ? 3 : 2;
        var factor = model.Config.Vae.DownscaleFactor;
        (_latentHeight, _latentWidth) = (s.Height / factor, s.Width / factor);
        using var scope = NewDisposeScope();

        // Hallo (AudioProcessor.preprocess) pads the audio with silence to whole clips and encodes the padded track;
        // its last clip is then rendered at full length and cut. The segment does the same with its own last clip.
        var clip = model.Config.ClipFrames;
        var frames = (setup.FrameCount + clip - 1) / clip * clip;
        var lead = (int)Math.Round(setup.AudioLeadSamples * (double)s.Fps / AudioFeatureOptions.SampleRate);
        var features = new AudioFeatureExtractor(model.Parts.AudioEncoder).Extract(setup.Audio, s.Fps, lead + frames);
        _audioTokens = model.Parts.Net.AudioProjection.forward(features.narrow(0, lead, frames).to(model.Dtype)).MoveToOuterDisposeScope();
        _portrait = ImageTensors.ToTensor([setup.Portrait]).to(model.Device).MoveToOuterDisposeScope();
        _conditioning = new SegmentConditioning(model, setup, _batch, _latentHeight, _latentWidth);
    }

    public Task<ClipOutput> RenderClipAsync(ClipRequest request, IReadOnlyList<RgbImage> motionFrames, CancellationToken cancellationToken)
    {
        // Activity.Current does not cross the inference thread's queue: take the caller's span along explicitly.
        var parent = Activity.Current?.Context ?? default;
        return _thread.RunAsync(() => Render(request, motionFrames, parent), cancellationToken);
    }

    private ClipOutput Render(ClipRequest request, IReadOnlyList<RgbImage> motionFrames, ActivityContext parent)
    {
        // Stopped explicitly once the loop ends; the using only covers a throw.
        using var sampling = ModelTelemetry.Source.StartActivity("sampling", ActivityKind.Internal, parent);
        sampling?.SetTag("emofarm.render_id", _setup.RenderId).SetTag("emofarm.clip", request.ClipIndex).SetTag("emofarm.steps", _setup.Settings.Steps);
        var samplingClock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        var m = _model;
        var s = _setup.Settings;
        // A short last clip is rendered at full length, as Hallo renders it, and cut: the motion modules were
        // trained on whole clips.
        var frames = Math.Max(request.FrameCount, m.Config.ClipFrames);
        if (request.FirstFrame + frames > _audioTokens.shape[0])
            throw new ArgumentException($"clip at frame {request.FirstFrame} of {frames} frames runs past the segment's {_audioTokens.shape[0]} frames");

        if (!request.PreviousLatents.IsEmpty && motionFrames.Count > 0 && motionFrames.All(f => _motion.Pixels(f) is null))
            RestoreMotion(request.PreviousLatents, motionFrames);
        using var reference = RunReference(ReferencePixels(motionFrames));
        var audio = _audioTokens.narrow(0, request.FirstFrame, frames).unsqueeze(0);
        // Hallo: uncond_audio_tensor = torch.zeros_like(audio_tensor); with two scales the middle row sees the
        // reference but not the audio.
        var audioRows = cat([zeros_like(audio).expand(_batch - 1, -1, -1, -1), audio], 0);
        var motionScale = new double[] { s.PoseWeight, s.FaceWeight, s.LipWeight };

        var scheduler = new DdimScheduler(m.Config.Scheduler);
        var timesteps = scheduler.SetTimesteps(s.Steps);
        var latents = InitialLatents(request.ClipIndex, [1, 4, frames, _latentHeight, _latentWidth]);
        for (var i = 0; i < timesteps.Count; i++)
        {
            using var step = NewDisposeScope();
            var t = timesteps[i];
            var input = latents.to(m.Dtype).expand(_batch, -1, -1, -1, -1).contiguous();
            var output = m.Parts.Net.Denoiser.forward(new EmoUnetInputs
            {
                Sample = input,
                Timestep = tensor((long)t, device: m.Device),
                EncoderHiddenStates = _conditioning.ImageTokens,
                AudioTokens = audioRows,
                Reference = reference,
                UnconditionalBatch = 1,
                FaceLocatorOut = _conditioning.FaceFeatures,
                AudioMasks = _conditioning.Masks,
                MotionScale = motionScale,
            }).to(ScalarType.Float32);
            var guided = _twoScales
                ? Guidance.CombineBatched(output, s.ReferenceGuidanceScale, s.GuidanceScale)
                : Guidance.CombineBatched(output, s.GuidanceScale);
            latents = scheduler.Step(guided, t, latents).MoveToOuterDisposeScope();
            _probe?.OnStep(request.ClipIndex, i, latents);
        }
        ModelTelemetry.DenoiseStep.Record(samplingClock.Elapsed.TotalSeconds / Math.Max(1, timesteps.Count));
        sampling?.Stop();

        using var decode = ModelTelemetry.Source.StartActivity("vae decode", ActivityKind.Internal, parent);
        decode?.SetTag("emofarm.render_id", _setup.RenderId).SetTag("emofarm.clip", request.ClipIndex);
        var kept = latents.narrow(2, 0, request.FrameCount);
        // FaceAnimatePipeline.decode_latents: video = (video / 2 + 0.5).clamp(0, 1), kept as float.
        var decoded = m.Parts.Vae.Decode(kept.to(m.Dtype), _decodeChunk)[0].permute(1, 0, 2, 3).to(ScalarType.Float32);
        var pixels = (decoded / 2 + 0.5).clamp(0, 1);
        _probe?.OnFrames(request.ClipIndex, pixels);
        var pictures = ImageTensors.ToImages(pixels);
        _motion.Dispose();
        _motion = MotionMemory.Keep(pictures, pixels, m.Config.MotionFrames);
        var latentBytes = kept.cpu().contiguous().data<float>().ToArray();
        var raw = new byte[latentBytes.Length * sizeof(float)];
        Buffer.BlockCopy(latentBytes, 0, raw, 0, raw.Length);
        return new ClipOutput(pictures, raw);
    }

    /// <summary>
    /// A resumed segment: decodes the previous clip's stored latents exactly as <see cref="Render"/> decoded them, so
    /// the motion frames condition with the floats an uninterrupted session would have kept, not their 8-bit copies.
    /// Kept only if the decode reproduces the stored frames' bytes: on another kind of device it may not, and then the
    /// bytes are the better record.
    /// </summary>
    private void RestoreMotion(ReadOnlyMemory<byte> latentBytes, IReadOnlyList<RgbImage> motionFrames)
    {
        using var scope = NewDisposeScope();
        var perFrame = 4 * _latentHeight * _latentWidth;
        var values = new float[latentBytes.Length / sizeof(float)];
        Buffer.BlockCopy(latentBytes.ToArray(), 0, values, 0, values.Length * sizeof(float));
        if (values.Length == 0 || values.Length % perFrame != 0 || values.Length / perFrame < motionFrames.Count)
            return;
        var kept = tensor(values, [1, 4, values.Length / perFrame, _latentHeight, _latentWidth]).to(_model.Device);
        var decoded = _model.Parts.Vae.Decode(kept.to(_model.Dtype), _decodeChunk)[0].permute(1, 0, 2, 3).to(ScalarType.Float32);
        var pixels = (decoded / 2 + 0.5).clamp(0, 1);
        var last = pixels.narrow(0, pixels.shape[0] - motionFrames.Count, motionFrames.Count);
        var images = ImageTensors.ToImages(last);
        if (!images.Zip(motionFrames).All(p => p.First.Pixels.AsSpan().SequenceEqual(p.Second.Pixels)))
            return;
        _motion.Dispose();
        _motion = MotionMemory.Keep(motionFrames, last, motionFrames.Count);
    }

    private Tensor InitialLatents(int clip, long[] shape)
    {
        if (_probe?.InitialNoise(clip) is { } injected)
            return injected.to(ScalarType.Float32, _model.Device).MoveToOuterDisposeScope();
        // Hallo draws every clip from one generator in turn; here noise is drawn on the CPU from (segment seed,
        // clip), so every device, every retry and every resumed segment gets the same clip.
        var generator = new Generator(unchecked(_setup.Seed + (ulong)clip * 0x9E3779B97F4A7C15UL));
        return (randn(shape, ScalarType.Float32, CPU, generator: generator) * DdimScheduler.InitNoiseSigma).to(_model.Device);
    }

    /// <summary>
    /// [1 + n, 3, H, W] in [-1, 1]: the portrait and the n motion frames; the first clip repeats the portrait, as
    /// Hallo does. Motion frames this session just rendered keep their float values (Hallo feeds back the decoded
    /// tensor, <c>motion_frames * 2.0 - 1.0</c>); frames read back from storage after a resume are 8-bit.
    /// </summary>
    private Tensor ReferencePixels(IReadOnlyList<RgbImage> motionFrames)
    {
        var n = _model.Config.MotionFrames;
        Tensor motion;
        if (motionFrames.Count == 0)
        {
            motion = _portrait.expand(n, -1, -1, -1);
        }
        else
        {
            var recent = motionFrames.Skip(Math.Max(0, motionFrames.Count - n)).ToList();
            while (recent.Count < n)
                recent.Insert(0, recent[0]);
            motion = cat([.. recent.Select(f => _motion.Pixels(f) is { } p ? p * 2 - 1 : ImageTensors.ToTensor([f]).to(_model.Device))], 0);
        }
        var pixels = cat([_portrait, motion], 0);
        // diffusers 0.27.2 VaeImageProcessor.preprocess (Hallo's ref_image_processor) normalises a tensor to [-1, 1]
        // again unless some value is already negative.
        return pixels.min().item<float>() >= 0 ? pixels * 2 - 1 : pixels;
    }

    private ReferenceFeatures RunReference(Tensor pixels)
    {
        // Hallo: vae.encode(ref_image_tensor).latent_dist.mean * 0.18215, then the rows repeated for guidance.
        var latents = _model.Parts.Vae.Encode(pixels.to(_model.Dtype));
        var rows = latents.permute(1, 0, 2, 3).unsqueeze(0).expand(_batch, -1, -1, -1, -1).contiguous();
        using var t = tensor(0L, device: _model.Device);
        var features = _model.Parts.Net.Reference.forward(rows, t, _conditioning.ImageTokens);
        if (!_model.Parts.Net.Denoiser.HalloInferenceCompat)
            return features;
        // Hallo hands the features over with reference_control_reader.update(writer), whose dtype defaults to
        // torch.float16: r.bank = [v.clone().to(dtype) for v in w.bank]. They pass through half precision whatever
        // the model's dtype (a no-op for Hallo's own fp16 weights).
        using (features)
        {
            using var half = features.To(_model.Device, ScalarType.Float16);
            return half.To(_model.Device, _model.Dtype);
        }
    }

    public ValueTask DisposeAsync()
    {
        _audioTokens.Dispose();
        _portrait.Dispose();
        _conditioning.Dispose();
        _motion.Dispose();
        return ValueTask.CompletedTask;
    }
}
