using System.CommandLine;
using EmoFarm.Cli.Shared;
using EmoFarm.Model.Loading;
using EmoFarm.Model.Rendering;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmoFarm.Cli.Tools;

/// <summary>`emofarm model bench`: milliseconds per part for one clip, and peak memory.</summary>
internal static class ModelBenchmarkCommand
{
    public static Command Create()
    {
        var model = new ModelCliOptions();
        var width = new Option<int>("--width") { DefaultValueFactory = _ => 512 };
        var height = new Option<int>("--height") { DefaultValueFactory = _ => 512 };
        var frames = new Option<int>("--frames") { Description = "Clip frames f", DefaultValueFactory = _ => 12 };
        var batch = new Option<int>("--batch") { Description = "2 for classifier-free guidance", DefaultValueFactory = _ => 2 };
        var steps = new Option<int>("--steps") { Description = "Timed denoising steps", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup") { DefaultValueFactory = _ => 2 };
        var command = new Command("bench", "Benchmark one clip: ms per denoising step, audio encoder, ReferenceNet, VAE decode") { width, height, frames, batch, steps, warmup };
        model.AddTo(command);
        command.SetAction(result =>
        {
            var settings = model.Read(result);
            var options = new ModelOptions
            {
                Weights = settings["Model:Weights"],
                Config = settings["Model:Config"]!,
                RandomWeights = settings["Model:RandomWeights"] == "true",
                Device = settings["Model:Device"],
                Dtype = settings["Model:Dtype"],
            };
            using var loaded = EmoModel.Load(options, NullLogger.Instance);
            var r = ModelBenchmark.Run(loaded, result.GetValue(width), result.GetValue(height), result.GetValue(frames),
                result.GetValue(batch), result.GetValue(steps), result.GetValue(warmup));
            Console.WriteLine($"model {loaded.Config.Name} on {loaded.Device} as {loaded.Dtype}, {result.GetValue(width)}x{result.GetValue(height)}, "
                + $"{result.GetValue(frames)} frames + {loaded.Config.MotionFrames} motion, batch {result.GetValue(batch)}");
            Console.WriteLine($"denoising step: {r.StepMs:F1} ms");
            Console.WriteLine($"audio encoder (60 s): {r.AudioEncoderMs:F1} ms");
            Console.WriteLine($"ReferenceNet: {r.ReferenceNetMs:F1} ms");
            Console.WriteLine($"VAE decode ({result.GetValue(frames)} frames): {r.VaeDecodeMs:F1} ms");
            Console.WriteLine($"peak working set: {r.PeakWorkingSetBytes / 1048576.0:F0} MiB");
            return 0;
        });
        return command;
    }
}
