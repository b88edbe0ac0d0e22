using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EmoFarm.Model.Loading;

/// <summary>Where the model comes from and how it runs; the worker's "Model" configuration section.</summary>
public sealed class ModelOptions
{
    public const string Section = "Model";

    /// <summary>A folder holding model.json and the files it names, or Hallo's pretrained_models/ folder as downloaded.</summary>
    public string? Weights { get; set; }

    /// <summary>sd15 (the real sizes), tiny or hallo-tiny (tests, Hallo parity). A checkpoint's model.json overrides it.</summary>
    [Required, RegularExpression("^(sd15|tiny|hallo-tiny)$", ErrorMessage = "Model:Config must be sd15, tiny or hallo-tiny")]
    public string Config { get; set; } = "sd15";

    /// <summary>Without weights the model refuses to start unless this is said out loud.</summary>
    public bool RandomWeights { get; set; }

    /// <summary>cpu or cuda[:n]; empty picks cuda when available.</summary>
    [RegularExpression("^(cpu|cuda(:[0-9]+)?)?$", ErrorMessage = "Model:Device must be cpu, cuda or cuda:N")]
    public string? Device { get; set; }

    /// <summary>float32, bfloat16 or float16; empty picks bfloat16 on cuda and float32 on cpu.</summary>
    [RegularExpression("^(?i:float32|fp32|bfloat16|bf16|float16|fp16)?$", ErrorMessage = "Model:Dtype must be float32, bfloat16 or float16")]
    public string? Dtype { get; set; }

    /// <summary>Frames of the VAE decoded at once; bounds decode memory.</summary>
    [Range(1, 1024)] public int DecodeChunkFrames { get; set; } = 8;
}

/// <summary>The annotations above, checked when the host starts (generated, not found by reflection).</summary>
[OptionsValidator] internal sealed partial class ModelOptionsValidator : IValidateOptions<ModelOptions>;
