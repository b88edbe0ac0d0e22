using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Model.Sampling;

/// <summary>
/// Deterministic DDIM (eta = 0, no clipping) that reproduces diffusers' DDIMScheduler: the schedule is computed
/// with the same float32 torch operations, and the step coefficients are float32 scalars as in diffusers.
/// </summary>
public sealed class DdimScheduler
{
    private readonly float[] _alphasCumprod;
    private int[] _timesteps = [];

    public DdimScheduler(DdimSchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _alphasCumprod = ComputeAlphasCumprod(config);
        FinalAlphaCumprod = config.SetAlphaToOne ? 1f : _alphasCumprod[0];
    }

    public DdimSchedulerConfig Config { get; }

    /// <summary>alpha_bar_t for t = 0 .. NumTrainTimesteps - 1, in float32 as diffusers holds them.</summary>
    public IReadOnlyList<float> AlphasCumprod => _alphasCumprod;

    /// <summary>alpha_bar used for the step that goes past t = 0.</summary>
    public float FinalAlphaCumprod { get; }

    /// <summary>The timesteps of the last <see cref="SetTimesteps"/> call, from noisiest to cleanest.</summary>
    public IReadOnlyList<int> Timesteps => _timesteps;

    public int NumInferenceSteps { get; private set; }

    /// <summary>Initial latents are drawn from N(0, InitNoiseSigma^2).</summary>
    public static double InitNoiseSigma => 1.0;

    public IReadOnlyList<int> SetTimesteps(int numInferenceSteps)
    {
        var n = Config.NumTrainTimesteps;
        if (numInferenceSteps < 1 || numInferenceSteps > n)
        {
            throw new ArgumentOutOfRangeException(nameof(numInferenceSteps), numInferenceSteps, $"must be in 1..{n}.");
        }

        NumInferenceSteps = numInferenceSteps;
        _timesteps = Config.TimestepSpacing switch
        {
            // np.arange(0, k) * (n // k), reversed, + steps_offset
            TimestepSpacing.Leading => Enumerable.Range(0, numInferenceSteps).Reverse()
                .Select(i => (i * (n / numInferenceSteps)) + Config.StepsOffset).ToArray(),

            // np.round(np.arange(n, 0, -n / k)) - 1; the ratio is a double as in numpy
            TimestepSpacing.Trailing => TrailingTimesteps(n, numInferenceSteps),

            // np.linspace(0, n - 1, k).round()[::-1]
            TimestepSpacing.Linspace => Enumerable.Range(0, numInferenceSteps).Reverse()
                .Select(i => (int)Math.Round(numInferenceSteps == 1 ? 0 : i * (n - 1.0) / (numInferenceSteps - 1), MidpointRounding.ToEven))
                .ToArray(),
            _ => throw new NotSupportedException(Config.TimestepSpacing.ToString()),
        };
        return _timesteps;
    }

    /// <summary>One DDIM update x_t to x_{t-Δ}, as diffusers' DDIMScheduler.step with eta = 0.</summary>
    public Tensor Step(Tensor modelOutput, int timestep, Tensor sample)
    {
        ArgumentNullException.ThrowIfNull(modelOutput);
        ArgumentNullException.ThrowIfNull(sample);
        if (NumInferenceSteps == 0)
        {
            throw new InvalidOperationException("Call SetTimesteps before Step.");
        }

        CheckTimestep(timestep);
        var prev = timestep - (Config.NumTrainTimesteps / NumInferenceSteps);
        var alphaT = _alphasCumprod[timestep];
        var alphaPrev = prev >= 0 ? _alphasCumprod[prev] : FinalAlphaCumprod;
        var betaT = 1f - alphaT;
        var sqrtAlphaT = MathF.Sqrt(alphaT);
        var sqrtBetaT = MathF.Sqrt(betaT);

        using var scope = NewDisposeScope();
        Tensor predOriginal, predEpsilon;
        switch (Config.PredictionType)
        {
            case PredictionType.Epsilon:
                predOriginal = (sample - (modelOutput * sqrtBetaT)) / sqrtAlphaT;
                predEpsilon = modelOutput;
                break;
            case PredictionType.VPrediction:
                predOriginal = (sample * sqrtAlphaT) - (modelOutput * sqrtBetaT);
                predEpsilon = (modelOutput * sqrtAlphaT) + (sample * sqrtBetaT);
                break;
            default:
                throw new NotSupportedException(Config.PredictionType.ToString());
        }

        // diffusers: (1 - alpha_prev - std_dev_t**2) ** 0.5 with std_dev_t = 0 for eta = 0.
        var direction = predEpsilon * MathF.Sqrt(1f - alphaPrev);
        return ((predOriginal * MathF.Sqrt(alphaPrev)) + direction).MoveToOuterDisposeScope();
    }

    /// <summary>Forward diffusion q(x_t | x_0), as diffusers' add_noise.</summary>
    public Tensor AddNoise(Tensor original, Tensor noise, int timestep)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(noise);
        CheckTimestep(timestep);
        var a = _alphasCumprod[timestep];
        using var scope = NewDisposeScope();
        return ((original * MathF.Sqrt(a)) + (noise * MathF.Sqrt(1f - a))).MoveToOuterDisposeScope();
    }

    /// <summary>The v-prediction target for (x_0, noise) at t, as diffusers' get_velocity.</summary>
    public Tensor GetVelocity(Tensor original, Tensor noise, int timestep)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(noise);
        CheckTimestep(timestep);
        var a = _alphasCumprod[timestep];
        using var scope = NewDisposeScope();
        return ((noise * MathF.Sqrt(a)) - (original * MathF.Sqrt(1f - a))).MoveToOuterDisposeScope();
    }

    private void CheckTimestep(int timestep)
    {
        if (timestep < 0 || timestep >= Config.NumTrainTimesteps)
        {
            throw new ArgumentOutOfRangeException(nameof(timestep), timestep, $"must be in 0..{Config.NumTrainTimesteps - 1}.");
        }
    }

    private static int[] TrailingTimesteps(int n, int k)
    {
        var ratio = n / (double)k;
        var result = new List<int>(k);
        // np.arange(n, 0, -ratio) has ceil(n / ratio) elements: n - i * ratio for i = 0, 1, ...
        var count = (int)Math.Ceiling(n / ratio);
        for (var i = 0; i < count; i++)
        {
            result.Add((int)Math.Round(n - (i * ratio), MidpointRounding.ToEven) - 1);
        }

        return [.. result];
    }

    private static float[] ComputeAlphasCumprod(DdimSchedulerConfig c)
    {
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var betas = c.BetaSchedule switch
        {
            BetaSchedule.Linear => torch.linspace(c.BetaStart, c.BetaEnd, c.NumTrainTimesteps, ScalarType.Float32),
            BetaSchedule.ScaledLinear => torch.linspace(Math.Sqrt(c.BetaStart), Math.Sqrt(c.BetaEnd), c.NumTrainTimesteps, ScalarType.Float32).pow(2),
            _ => throw new NotSupportedException(c.BetaSchedule.ToString()),
        };
        if (c.RescaleBetasZeroSnr)
        {
            betas = RescaleZeroTerminalSnr(betas);
        }

        var alphasCumprod = torch.cumprod(1.0f - betas, 0);
        return alphasCumprod.data<float>().ToArray();
    }

    // Same operation order as diffusers' rescale_zero_terminal_snr, so the float32 results agree.
    private static Tensor RescaleZeroTerminalSnr(Tensor betas)
    {
        var alphasBarSqrt = torch.cumprod(1.0f - betas, 0).sqrt();
        var a0 = alphasBarSqrt[0].clone();
        var aT = alphasBarSqrt[-1].clone();
        alphasBarSqrt = (alphasBarSqrt - aT) * (a0 / (a0 - aT));
        var alphasBar = alphasBarSqrt.pow(2);
        var n = alphasBar.shape[0];
        var ratios = alphasBar.narrow(0, 1, n - 1) / alphasBar.narrow(0, 0, n - 1);
        var alphas = torch.cat([alphasBar.narrow(0, 0, 1), ratios]);
        return 1.0f - alphas;
    }
}
