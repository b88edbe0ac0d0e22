using System.CommandLine;
using EmoFarm.Model.Loading;
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
        var weights = new Option<DirectoryInfo>("--weights") { Description = "Model folder (model.json + its files, or Hallo's pretrained_models/)", Required = true };
        var command = new Command("inspect", "List loaded, missing, unexpected, ignored and shape-mismatched keys of every component") { weights };
        command.SetAction(result =>
        {
            var folder = result.GetValue(weights)!.FullName;
            var manifest = ModelManifest.Read(folder);
            var layout = manifest.IsHalloRelease ? "Hallo release (pretrained_models/)" : "EmoFarm model folder";
            Console.WriteLine($"{folder}: {layout}, preset {manifest.Config}");
            // Built on the meta device: the comparison costs no memory, even for the full-size model.
            using var parts = ModelComponents.OnMeta(manifest.ToConfig());
            var complete = true;
            foreach (var (component, file, format, report) in parts.Load(folder, manifest, dryRun: true))
            {
                complete &= report.IsComplete;
                var status = report.IsComplete ? "[green]complete[/]" : "[red]INCOMPLETE[/]";
                var optional = report.AllowedMissing.Count > 0 ? $", {report.AllowedMissing.Count} optional absent" : "";
                AnsiConsole.MarkupLine(
                    $"{status} {Markup.Escape(component)} ({Markup.Escape(file)}, {Markup.Escape(format)}): {report.Loaded} tensors match, "
                    + $"{report.Missing.Count} missing, {report.Unexpected.Count} unexpected, {report.Ignored.Count} ignored{optional}");
                if (report.Ignored.Count > 0)
                    Console.WriteLine($"  ignored: {string.Join(", ", report.Ignored)}");
                if (!report.IsComplete)
                    Console.WriteLine(report.Describe());
            }
            if (manifest.IsHalloRelease)
            {
                var others = HalloRelease.OthersPresent(folder);
                Console.WriteLine(others.Count == 0 ? "no other release folders" : "other release folders, not loaded:");
                foreach (var (name, use) in others)
                    Console.WriteLine($"  {name}/: {use}");
                var faceModels = Path.Combine(folder, HalloRelease.FaceAnalysisModels);
                if (Directory.Exists(faceModels))
                    complete &= FaceAnalysisReport.Print(faceModels);
                var separator = Path.Combine(folder, "audio_separator");
                if (Directory.Exists(separator))
                    complete &= SeparatorReport.Print(separator);
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
