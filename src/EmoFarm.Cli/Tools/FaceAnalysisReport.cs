using EmoFarm.Faces.Identity;
using Spectre.Console;

namespace EmoFarm.Cli.Tools;

/// <summary>
/// The <c>face_analysis/models/</c> part of <c>emofarm model inspect</c>: each ONNX file's signature and what
/// insightface 0.7.3's FaceAnalysis makes of it, as EmoFarm's identity embedding reads the folder.
/// </summary>
internal static class FaceAnalysisReport
{
    /// <summary>Prints the report; false when Hallo's FaceAnalysis could not run on the folder.</summary>
    public static bool Print(string folder)
    {
        Console.WriteLine($"{folder}: insightface models, recognised by signature:");
        IReadOnlyList<OnnxModelDescription> models;
        try
        {
            models = IdentityModels.Describe(folder);
        }
        catch (InvalidDataException e)
        {
            AnsiConsole.MarkupLine($"[red]UNUSABLE[/] {Markup.Escape(e.Message)}");
            return false;
        }

        foreach (var model in models)
        {
            AnsiConsole.MarkupLine(model.Problem is null ? $"  {Markup.Escape(model.ToString())}" : $"  [red]{Markup.Escape(model.ToString())}[/]");
            foreach (var input in model.Inputs) Console.WriteLine($"    in  {input}");
            foreach (var output in model.Outputs) Console.WriteLine($"    out {output}");
        }

        var missing = new[] { InsightFaceRole.Detection, InsightFaceRole.Recognition }
            .Where(role => !models.Any(m => m.Kept && m.Role == role)).ToList();
        foreach (var role in missing)
            AnsiConsole.MarkupLine($"  [red]no {role.ToString().ToLowerInvariant()} model[/]: Hallo's face embedding needs one");
        return missing.Count == 0 && models.All(m => m.Problem is null);
    }
}
