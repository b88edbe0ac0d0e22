namespace EmoFarm.Model.Sampling;

/// <summary>The subset of diffusers' DDIMScheduler config that matters with eta = 0 and clipping off.</summary>
public sealed record DdimSchedulerConfig
{
    public int NumTrainTimesteps { get; init; } = 1000;

    public double BetaStart { get; init; } = 0.00085;

    public double BetaEnd { get; init; } = 0.012;

    public BetaSchedule BetaSchedule { get; init; } = BetaSchedule.ScaledLinear;

    public PredictionType PredictionType { get; init; } = PredictionType.Epsilon;

    public TimestepSpacing TimestepSpacing { get; init; } = TimestepSpacing.Leading;

    public int StepsOffset { get; init; } = 1;

    /// <summary>When true the step past t = 0 uses alpha_bar = 1, otherwise alpha_bar[0].</summary>
    public bool SetAlphaToOne { get; init; }

    /// <summary>Rescale betas so the last timestep has zero SNR (Lin et al. 2023); needs v-prediction.</summary>
    public bool RescaleBetasZeroSnr { get; init; }

    /// <summary>Stable Diffusion 1.5's shipped scheduler config (what EMO builds on).</summary>
    public static DdimSchedulerConfig StableDiffusion { get; } = new();

    /// <summary>Hallo's inference scheduler: linear betas, zero-terminal SNR, trailing, v-prediction.</summary>
    public static DdimSchedulerConfig Hallo { get; } = new()
    {
        BetaSchedule = BetaSchedule.Linear,
        PredictionType = PredictionType.VPrediction,
        TimestepSpacing = TimestepSpacing.Trailing,
        StepsOffset = 1,
        SetAlphaToOne = true,
        RescaleBetasZeroSnr = true,
    };
}
