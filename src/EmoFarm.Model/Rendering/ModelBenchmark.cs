using System.Diagnostics;
using EmoFarm.Model.Audio;
using EmoFarm.Model.Loading;
using EmoFarm.Model.Unet;
using static TorchSharp.torch;

namespace EmoFarm.Model.Rendering;

/// <summary>Times the model's parts on one clip (f frames + n motion frames) at a resolution and CFG batch.</summary>
public static class ModelBenchmark
{
    public sealed record Result(double AudioEncoderMs, double ReferenceNetMs, double StepMs, double VaeDecodeMs, long PeakWorkingSetBytes);

    public static Result Run(EmoModel model, int width, int height, int frames, int batch, int steps, int warmup)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var inference = inference_mode();
        var net = model.Parts.Net;
        var (h, w) = (height / model.Config.Vae.DownscaleFactor, width / model.Config.Vae.DownscaleFactor);
        var n = model.Config.MotionFrames;
        var dtype = model.Dtype;
        var device = model.Device;
        using var scope = NewDisposeScope();

        var audio = new float[AudioFeatureOptions.SampleRate * 60];
        var extractor = new AudioFeatureExtractor(model.Parts.AudioEncoder);
        var audioMs = Time(() => extractor.Extract(audio, 25, 1500).Dispose(), warmup, 3, device);

        var tokens = zeros([batch, 4, model.Config.Unet.CrossAttentionDim], dtype, device);
        var refLatents = randn([batch, 4, 1 + n, h, w], dtype, device);
        using var t0 = tensor(0L, device: device);
        var referenceMs = Time(() => net.Reference.forward(refLatents, t0, tokens).Dispose(), warmup, 3, device);

        using var reference = net.Reference.forward(refLatents, t0, tokens);
        var c = model.Config.AudioProjection;
        var inputs = new EmoUnetInputs
        {
            Sample = randn([batch, 4, frames, h, w], dtype, device),
            Timestep = tensor(500L, device: device),
            EncoderHiddenStates = tokens,
            AudioTokens = randn([batch, frames, c.ContextTokens, c.OutputDim], dtype, device),
            Reference = reference,
            UnconditionalBatch = batch / 2,
            FaceLocatorOut = zeros([batch, model.Config.Unet.BlockOutChannels[0], h, w], dtype, device),
            AudioMasks = AudioRegionMasks.Ones(h, w, model.Config.Unet.Levels, device),
        };
        var stepMs = Time(() => net.Denoiser.forward(inputs).Dispose(), warmup, steps, device);

        var latents = randn([1, 4, frames, h, w], dtype, device);
        var decodeMs = Time(() => model.Parts.Vae.Decode(latents, 8).Dispose(), warmup, 3, device);
        return new Result(audioMs, referenceMs, stepMs, decodeMs, Process.GetCurrentProcess().PeakWorkingSet64);
    }

    private static double Time(Action action, int warmup, int runs, Device device)
    {
        for (var i = 0; i < warmup; i++)
            Step(action);
        Sync(device);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
            Step(action);
        Sync(device);
        return clock.Elapsed.TotalMilliseconds / runs;
    }

    private static void Step(Action action)
    {
        using var scope = NewDisposeScope();
        action();
    }

    private static void Sync(Device device)
    {
        if (device.type == TorchSharp.DeviceType.CUDA)
            cuda.synchronize();
    }
}
