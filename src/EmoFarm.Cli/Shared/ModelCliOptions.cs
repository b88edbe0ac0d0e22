using System.CommandLine;

namespace EmoFarm.Cli.Shared;

/// <summary>Where the model comes from, as options that map onto the worker's "Model" configuration section.</summary>
internal sealed class ModelCliOptions
{
    private readonly Option<string?> _weights = new("--weights") { Description = "Checkpoint folder (model.json + safetensors) or s3://bucket/prefix" };
    private readonly Option<string> _config = new("--config") { Description = "Model size: sd15 (the real one) or tiny (tests)", DefaultValueFactory = _ => "sd15" };
    private readonly Option<bool> _random = new("--random-weights") { Description = "Run with seeded random weights when no checkpoint is given: the video is noise" };
    private readonly Option<string?> _device = new("--device") { Description = "cpu or cuda (default: cuda when available)" };
    private readonly Option<string?> _dtype = new("--dtype") { Description = "float32, bfloat16 or float16 (default: bfloat16 on cuda, float32 on cpu)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _weights, _config, _random, _device, _dtype })
            command.Options.Add(option);
    }

    public IReadOnlyDictionary<string, string?> Read(ParseResult result) => new Dictionary<string, string?>
    {
        ["Model:Weights"] = result.GetValue(_weights),
        ["Model:Config"] = result.GetValue(_config),
        ["Model:RandomWeights"] = result.GetValue(_random) ? "true" : "false",
        ["Model:Device"] = result.GetValue(_device),
        ["Model:Dtype"] = result.GetValue(_dtype),
    };
}
