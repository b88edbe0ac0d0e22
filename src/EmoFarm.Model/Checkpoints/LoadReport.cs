using System.Text;

namespace EmoFarm.Model.Checkpoints;

/// <summary>The outcome of <see cref="CheckpointLoader.Load"/>.</summary>
/// <param name="Loaded">Number of tensors copied into the module (0 when any shape mismatched).</param>
/// <param name="Missing">Module names with no checkpoint key, excluding the allowed-missing ones.</param>
/// <param name="AllowedMissing">Module names with no checkpoint key that the caller declared optional.</param>
/// <param name="Unexpected">Checkpoint keys (under the prefix) that no module tensor claims.</param>
/// <param name="ShapeMismatched">Names whose shapes differ; nothing is copied when this is not empty.</param>
public sealed record LoadReport(
    int Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> AllowedMissing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<ShapeMismatch> ShapeMismatched)
{
    private const int ListedPerKind = 10;

    /// <summary>Checkpoint keys skipped because the caller declared them foreign to the module (a CTC head).</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];

    public bool IsComplete => Missing.Count == 0 && Unexpected.Count == 0 && ShapeMismatched.Count == 0;

    /// <summary>Throws <see cref="CheckpointMismatchException"/> listing the problems unless the load was complete.</summary>
    public void EnsureComplete()
    {
        if (!IsComplete)
        {
            throw new CheckpointMismatchException(Describe(), this);
        }
    }

    /// <summary>A multi-line summary with counts and the first few names of each kind of problem.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append("Checkpoint does not match the module: ")
          .Append(ShapeMismatched.Count).Append(" shape mismatch(es), ")
          .Append(Missing.Count).Append(" missing, ")
          .Append(Unexpected.Count).Append(" unexpected.");
        AppendList(sb, "Shape mismatches", ShapeMismatched.Select(m => m.ToString()).ToList());
        AppendList(sb, "Missing", Missing);
        AppendList(sb, "Unexpected", Unexpected);
        return sb.ToString();
    }

    private static void AppendList(StringBuilder sb, string title, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        sb.AppendLine().Append(title).Append(':');
        foreach (var item in items.Take(ListedPerKind))
        {
            sb.AppendLine().Append("  ").Append(item);
        }

        if (items.Count > ListedPerKind)
        {
            sb.AppendLine().Append("  ... and ").Append(items.Count - ListedPerKind).Append(" more");
        }
    }
}
