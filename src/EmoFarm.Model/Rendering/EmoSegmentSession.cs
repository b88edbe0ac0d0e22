using System.Diagnostics;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Model.Audio;
using EmoFarm.Model.Sampling;
using EmoFarm.Model.Unet;
using static TorchSharp.torch;

namespace EmoFarm.Model.Rendering;

/// <summary>
/// One segment's conditioning, prepared once on the inference thread and kept on the device: audio tokens for
/// every frame, the portrait's latent, the identity tokens and the face locator's features. Clips then only run
/// the ReferenceNet on (portrait + motion frames) and the sampler.
/// </summary>
internal sealed class EmoSegmentSession : ISegmentSession
{
    private readonly EmoModel _model;
    private readonly InferenceThread _thread;
    private readonly SegmentSetup _setup;
    private readonly int _decodeChunk;
    private readonly Tensor _audioTokens;   // [F, tokens, dim]
    private readonly Tensor _portrait;      // [1, 3, H, W] in [-1, 1]
    private readonly Tensor _portraitLatent; // [1, 4, 1, h, w]
    private readonly Tensor _imageTokens;   // [B, T, dim], unconditional rows first
    private readonly Tensor _faceFeatures;  // [B, C0, h, w]
    private readonly AudioRegionMasks _masks;
    private readonly bool _twoScales;

    /// <param name="parent">The caller's span, captured before the work was queued onto the inference thread.</param>
    public EmoSegmentSession(EmoModel model, InferenceThread thread, SegmentSetup setup, int decodeChunk, ActivityContext parent)
    {
        using var activity = ModelTelemetry.Source.StartActivity("audio encoder", ActivityKind.Internal, parent);
        activity?.SetTag("emofarm.render_id", setup.RenderId);
        _model = model;
        _thread = thread;
        _setup = setup;
        _decodeChunk = decodeChunk;
        var s = setup.Settings;
        _twoScales = Math.Abs(s.ReferenceGuidanceScale - s.GuidanceScale) > 1e-6;
        var batch = _twoScales ? 3 : 2;
        var net = model.Parts.Net;
        using var scope = NewDisposeScope();

        var fps = s.Fps;
        var lead = (int)Math.Round(setup.AudioLeadSamples * (double)fps / AudioFeatureOptions.SampleRate);
        var features = new AudioFeatureExtractor(model.Parts.AudioEncoder).Extract(setup.Audio, fps, lead + setup.FrameCount);
        _audioTokens = net.AudioProjection.forward(features.narrow(0, lead, setup.FrameCount).to(model.Dtype)).MoveToOuterDisposeScope();

        _portrait = ImageTensors.ToTensor([setup.Portrait]).MoveToOuterDisposeScope();
        _portraitLatent = model.Parts.Vae.Encode(_portrait.to(model.Dtype, model.Device)).unsqueeze(2).MoveToOuterDisposeScope();

        // No identity embedder is loaded yet, so the identity tokens come from a zero embedding: the ReferenceNet
        // carries the identity, as in EMO, which has no identity encoder at all.
        var identity = net.ImageProjection.forward(zeros([1, model.Config.FaceEmbeddingDim], model.Dtype, model.Device));
        _imageTokens = cat([zeros_like(identity).expand(batch - 1, -1, -1), identity], 0).MoveToOuterDisposeScope();
        var mask = FaceRegion.Mask(s.Width, s.Height, s.FaceRegion).to(model.Dtype, model.Device);
        _faceFeatures = net.FaceLocator.forward(mask).expand(batch, -1, -1, -1).contiguous().MoveToOuterDisposeScope();
        _masks = AudioRegionMasks.Ones(_portraitLatent.shape[3], _portraitLatent.shape[4], model.Config.Unet.Levels, model.Device);
        foreach (var level in _masks.Full)
            level.MoveToOuterDisposeScope();
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
        var batch = _twoScales ? 3 : 2;
        var frames = request.FrameCount;

        using var reference = RunReference(MotionLatents(motionFrames), batch);
        var audio = _audioTokens.narrow(0, request.FirstFrame, frames).unsqueeze(0);
        // Unconditional rows hear silence; with two scales the middle row sees the reference but not the audio.
        var audioRows = cat([zeros_like(audio).expand(batch - 1, -1, -1, -1), audio], 0);

        var scheduler = new DdimScheduler(m.Config.Scheduler);
        var timesteps = scheduler.SetTimesteps(s.Steps);
        var latentShape = new long[] { 1, 4, frames, _portraitLatent.shape[3], _portraitLatent.shape[4] };
        // Noise is drawn on the CPU from (segment seed, clip), so every device and every retry gets the same clip.
        var generator = new Generator(unchecked(_setup.Seed + (ulong)request.ClipIndex * 0x9E3779B97F4A7C15UL));
        var latents = (randn(latentShape, ScalarType.Float32, CPU, generator: generator) * DdimScheduler.InitNoiseSigma).to(m.Device);

        foreach (var t in timesteps)
        {
            using var step = NewDisposeScope();
            var input = latents.to(m.Dtype).expand(batch, -1, -1, -1, -1).contiguous();
            var output = m.Parts.Net.Denoiser.forward(new EmoUnetInputs
            {
                Sample = input,
                Timestep = tensor((long)t, device: m.Device),
                EncoderHiddenStates = _imageTokens,
                AudioTokens = audioRows,
                Reference = reference,
                UnconditionalBatch = 1,
                FaceLocatorOut = _faceFeatures,
                AudioMasks = _masks,
            }).to(ScalarType.Float32);
            var guided = _twoScales
                ? Guidance.CombineBatched(output, s.ReferenceGuidanceScale, s.GuidanceScale)
                : Guidance.CombineBatched(output, s.GuidanceScale);
            latents = scheduler.Step(guided, t, latents).MoveToOuterDisposeScope();
        }
        ModelTelemetry.DenoiseStep.Record(samplingClock.Elapsed.TotalSeconds / Math.Max(1, timesteps.Count));
        sampling?.Stop();

        using var decode = ModelTelemetry.Source.StartActivity("vae decode", ActivityKind.Internal, parent);
        decode?.SetTag("emofarm.render_id", _setup.RenderId).SetTag("emofarm.clip", request.ClipIndex);
        var images = m.Parts.Vae.Decode(latents.to(m.Dtype), _decodeChunk);
        var pictures = ImageTensors.ToImages(images[0].permute(1, 0, 2, 3));
        var latentBytes = latents.cpu().contiguous().data<float>().ToArray();
        var raw = new byte[latentBytes.Length * sizeof(float)];
        Buffer.BlockCopy(latentBytes, 0, raw, 0, raw.Length);
        return new ClipOutput(pictures, raw);
    }

    /// <summary>Latents [1, 4, n, h, w] of the motion frames; the first clip repeats the portrait, as Hallo does.</summary>
    private Tensor MotionLatents(IReadOnlyList<RgbImage> motionFrames)
    {
        var n = _model.Config.MotionFrames;
        if (motionFrames.Count == 0)
            return _portraitLatent.expand(-1, -1, n, -1, -1);
        var recent = motionFrames.Skip(Math.Max(0, motionFrames.Count - n)).ToList();
        while (recent.Count < n)
            recent.Insert(0, recent[0]);
        var latents = _model.Parts.Vae.Encode(ImageTensors.ToTensor(recent).to(_model.Dtype, _model.Device));
        return latents.permute(1, 0, 2, 3).unsqueeze(0);
    }

    private ReferenceFeatures RunReference(Tensor motion, int batch)
    {
        var latents = cat([_portraitLatent, motion], 2).expand(batch, -1, -1, -1, -1).contiguous();
        using var t = tensor(0L, device: _model.Device);
        return _model.Parts.Net.Reference.forward(latents, t, _imageTokens);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var t in new[] { _audioTokens, _portrait, _portraitLatent, _imageTokens, _faceFeatures })
            t.Dispose();
        foreach (var level in _masks.Full.Concat(_masks.Face).Concat(_masks.Lip).Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>())
            level.Dispose();
        return ValueTask.CompletedTask;
    }
}
