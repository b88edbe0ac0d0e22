namespace EmoFarm.Model.Rendering;

/// <summary>Where the model comes from and how it runs; the worker's "Model" configuration section.</summary>
public sealed class ModelOptions
{
    public const string Section = "Model";

    /// <summary>A folder holding model.json and the files it names, or Hallo's pretrained_models/ folder as downloaded.</summary>
    public string? Weights { get; set; }

    /// <summary>sd15 (the real sizes), tiny or hallo-tiny (tests, Hallo parity). A checkpoint's model.json overrides it.</summary>
    public string Config { get; set; } = "sd15";

    /// <summary>Without weights the model refuses to start unless this is said out loud.</summary>
    public bool RandomWeights { get; set; }

    /// <summary>cpu or cuda[:n]; empty picks cuda when available.</summary>
    public string? Device { get; set; }

    /// <summary>float32, bfloat16 or float16; empty picks bfloat16 on cuda and float32 on cpu.</summary>
    public string? Dtype { get; set; }

    /// <summary>Frames of the VAE decoded at once; bounds decode memory.</summary>
    public int DecodeChunkFrames { get; set; } = 8;
}
