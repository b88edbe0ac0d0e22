namespace EmoFarm.Model.Sampling;

/// <summary>diffusers' beta_schedule values that EMO-style models use.</summary>
public enum BetaSchedule
{
    /// <summary>"linear": betas evenly spaced from start to end.</summary>
    Linear,

    /// <summary>"scaled_linear": square roots evenly spaced, then squared (Stable Diffusion).</summary>
    ScaledLinear,
}
