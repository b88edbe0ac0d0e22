namespace EmoFarm.Model.Audio;

/// <summary>Where the 50 Hz wav2vec2 time axis is resampled to the video frame rate.</summary>
public enum AudioInterpolation
{
    /// <summary>
    /// Hallo's way, and what its audio modules were trained on: the convolutional features are linearly
    /// resampled to the frame count, and the transformer then runs at the frame rate.
    /// </summary>
    BeforeEncoder,

    /// <summary>The transformer runs at 50 Hz and each layer's hidden states are resampled afterwards.</summary>
    AfterEncoder,
}
