using System.Reflection;
using EmoFarm.Farm.Hosting;
using EmoFarm.Model.Hosting;
using NetArchTest.Rules;
using Xunit;

namespace EmoFarm.Farm.Tests.Layers;

/// <summary>
/// Keeps the folders' one-way dependencies, as the README draws them: a folder (namespace) may use only the folders on
/// the rows below it, never one on its own row or above. The check reads the compiled IL, so a call inside a method body
/// counts as much as a field's type.
/// </summary>
public sealed class FolderLayerTests
{
    /// <summary>EmoFarm.Farm, top row first.</summary>
    public static readonly string[][] FarmRows =
    [
        ["Hosting"],
        ["Api"],
        ["Submission", "Orchestration"],
        ["Seams"],
        ["Video"],
        ["Scheduling", "Work"],
        ["Conditioning", "Faces", "Tenancy"],
        ["Frames", "Vocals"],
        ["Media"],
        ["Storage"],
        ["State"],
        ["Planning", "Telemetry", "Messaging"],
    ];

    /// <summary>EmoFarm.Model, top row first.</summary>
    public static readonly string[][] ModelRows =
    [
        ["Hosting"],
        ["Rendering"],
        ["Loading"],
        ["Unet", "Vae", "Audio", "Conditioning", "Sampling"],
        ["Layers"],
        ["Checkpoints"],
    ];

    public static TheoryData<string, string> Folders()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in FarmRows.SelectMany(r => r))
            data.Add("EmoFarm.Farm", folder);
        foreach (var folder in ModelRows.SelectMany(r => r))
            data.Add("EmoFarm.Model", folder);
        return data;
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Folder_UsesOnlyTheRowsBelowIt(string assembly, string folder)
    {
        var (asm, rows) = Of(assembly);
        var row = Array.FindIndex(rows, r => r.Contains(folder));
        // Its own row and every row above it, except itself.
        var forbidden = rows.Take(row + 1).SelectMany(r => r).Where(f => f != folder).Select(f => $"{assembly}.{f}").ToArray();
        var result = Types.InAssembly(asm).That().ResideInNamespace($"{assembly}.{folder}")
            .ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        Assert.True(result.IsSuccessful,
            $"{assembly}.{folder} may use only the rows below it, but these types use a folder on its row or above: "
            + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Theory]
    [InlineData("EmoFarm.Farm")]
    [InlineData("EmoFarm.Model")]
    public void EveryFolder_HasARow(string assembly)
    {
        var (asm, rows) = Of(assembly);
        var placed = rows.SelectMany(r => r).ToHashSet();
        var folders = asm.GetTypes()
            .Select(t => t.Namespace)
            .Where(n => n is not null && n.StartsWith(assembly + ".", StringComparison.Ordinal))
            .Select(n => n![(assembly.Length + 1)..].Split('.')[0])
            .ToHashSet();
        Assert.Empty(folders.Except(placed));
        // A row naming a folder that no longer exists would let a new one of that name in unchecked.
        Assert.Empty(placed.Except(folders));
    }

    private static (Assembly Assembly, string[][] Rows) Of(string assembly) => assembly switch
    {
        "EmoFarm.Farm" => (typeof(FarmBuilder).Assembly, FarmRows),
        "EmoFarm.Model" => (typeof(ModelServices).Assembly, ModelRows),
        _ => throw new ArgumentOutOfRangeException(nameof(assembly), assembly, "not a checked assembly"),
    };
}
