using EmoFarm.Farm.Vocals;
using Microsoft.ML.OnnxRuntime;
using Spectre.Console;

namespace EmoFarm.Cli.Tools;

/// <summary>
/// The <c>audio_separator/</c> part of <c>emofarm model inspect</c>: the separator's signature, its hash and the
/// parameters <c>mdx_model_data.json</c> gives for that hash, as the orchestrator's vocal separation reads them.
/// </summary>
internal static class SeparatorReport
{
    /// <summary>Prints the report; false when the separator could not be opened as the orchestrator opens it.</summary>
    public static bool Print(string folder)
    {
        var model = Path.Combine(folder, VocalSeparator.ModelFileName);
        Console.WriteLine($"{folder}: vocal separator (audio-separator's MDX-Net path):");
        if (!File.Exists(model))
        {
            AnsiConsole.MarkupLine($"  [red]no {VocalSeparator.ModelFileName}[/]: renders would encode the whole mix");
            return false;
        }

        using (var session = new InferenceSession(model))
        {
            Console.WriteLine($"  {VocalSeparator.ModelFileName}: role vocal separation (MDX-Net)");
            foreach (var (name, meta) in session.InputMetadata) Console.WriteLine($"    in  {name} {meta.ElementDataType} [{Dims(meta)}]");
            foreach (var (name, meta) in session.OutputMetadata) Console.WriteLine($"    out {name} {meta.ElementDataType} [{Dims(meta)}]");
        }

        try
        {
            using var separator = VocalSeparator.Open(folder);
            var p = separator.Parameters;
            Console.WriteLine($"    hash {p.Hash}: dim_f {p.DimF}, dim_t {p.DimT}, n_fft {p.NFft}, compensate {p.Compensate}, primary stem {p.PrimaryStem}");
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
        {
            AnsiConsole.MarkupLine($"  [red]UNUSABLE[/] {Markup.Escape(e.Message)}");
            return false;
        }
    }

    private static string Dims(NodeMetadata meta) =>
        string.Join(", ", meta.Dimensions.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : meta.SymbolicDimensions[i] is { Length: > 0 } s ? s : "?"));
}
