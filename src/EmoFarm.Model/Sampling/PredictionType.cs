namespace EmoFarm.Model.Sampling;

/// <summary>What the denoiser predicts (diffusers' prediction_type).</summary>
public enum PredictionType
{
    /// <summary>The added noise.</summary>
    Epsilon,

    /// <summary>The velocity v = sqrt(alpha_bar) * noise - sqrt(1 - alpha_bar) * x0.</summary>
    VPrediction,
}
