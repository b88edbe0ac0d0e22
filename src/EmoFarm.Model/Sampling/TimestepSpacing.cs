namespace EmoFarm.Model.Sampling;

/// <summary>How inference timesteps are spread over the training range (diffusers' timestep_spacing).</summary>
public enum TimestepSpacing
{
    /// <summary>"leading": 0, r, 2r, ... reversed, plus steps_offset; never reaches the last training step.</summary>
    Leading,

    /// <summary>"trailing": counts down from the last training step (999, 974, ... for 40 steps).</summary>
    Trailing,

    /// <summary>"linspace": rounded linspace(0, T - 1, n), reversed.</summary>
    Linspace,
}
