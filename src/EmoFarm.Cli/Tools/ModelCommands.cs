using System.CommandLine;
using EmoFarm.Model.Rendering;
using Spectre.Console;

namespace EmoFarm.Cli.Tools;

/// <summary>`emofarm model inspect` and `emofarm model bench`.</summary>
internal static class ModelCommands
{
    public static Command Create()
    {
        var command = new Command("model", "Inspect checkpoints and benchmark the model");
        command.Subcommands.Add(Inspect());
        command.Subcommands.Add(ModelBenchmarkCommand.Create());
        command.Subcommands.Add(InitRandom());
        return command;
    }

    private static Command Inspect()
    {
        var weights = new Option<DirectoryInfo>("--weights") { Description = "Model folder (model.json + safetensors)", Required = true };
        var command = new Command("inspect", "List missing, unexpected and shape-mismatched keys of every component") { weights };
        command.SetAction(result =>
        {
            var folder = result.GetValue(weights)!.FullName;
            var manifest = ModelManifest.Read(folder);
            // Built on the meta device: the comparison costs no memory, even for the full-size model.
            using var parts = ModelComponents.OnMeta(manifest.ToConfig());
            var complete = true;
            foreach (var (component, file, report) in parts.Load(folder, manifest, dryRun: true))
            {
                complete &= report.IsComplete;
                var status = report.IsComplete ? "[green]complete[/]" : "[red]INCOMPLETE[/]";
                AnsiConsole.MarkupLine($"{status} {Markup.Escape(component)} ({Markup.Escape(file)}): {report.Loaded} tensors match");
                if (!report.IsComplete || report.AllowedMissing.Count > 0)
                    Console.WriteLine(report.Describe());
            }
            return complete ? 0 : 1;
        });
        return command;
    }

    private static Command InitRandom()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write", Required = true };
        var config = new Option<string>("--config") { Description = "sd15, tiny or hallo-tiny", DefaultValueFactory = _ => "tiny" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => EmoModel.RandomWeightsSeed };
        var command = new Command("init-random", "Write a seeded random-weights model folder in the real checkpoint layout (output is noise)") { output, config, seed };
        command.SetAction(result =>
        {
            RandomCheckpoint.Write(result.GetValue(output)!.FullName, result.GetValue(config)!, result.GetValue(seed));
            Console.WriteLine($"wrote a RANDOM-WEIGHTS {result.GetValue(config)} model to {result.GetValue(output)!.FullName}");
            return 0;
        });
        return command;
    }
}
