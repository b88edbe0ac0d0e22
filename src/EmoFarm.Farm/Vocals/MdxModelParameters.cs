namespace EmoFarm.Farm.Vocals;

/// <summary>
/// One MDX-Net model's entry in UVR's mdx_model_data.json, as audio-separator 0.17.2's MDXSeparator reads it.
/// </summary>
/// <param name="Hash">The key it was found under: <see cref="MdxModelData.ComputeHash"/> of the model file.</param>
/// <param name="Compensate">"compensate": the gain applied to the demixed stem (Kim_Vocal_2: 1.009).</param>
/// <param name="DimF">"mdx_dim_f_set": frequency bins the model sees, of n_fft / 2 + 1 (Kim_Vocal_2: 3072).</param>
/// <param name="DimT">2 ** "mdx_dim_t_set": STFT frames per chunk (Kim_Vocal_2: 2 ** 8 = 256).</param>
/// <param name="NFft">"mdx_n_fft_scale_set": the STFT size (Kim_Vocal_2: 7680).</param>
/// <param name="PrimaryStem">"primary_stem", "Vocals" when absent, as CommonSeparator defaults it.</param>
public sealed record MdxModelParameters(string Hash, double Compensate, int DimF, int DimT, int NFft, string PrimaryStem);
