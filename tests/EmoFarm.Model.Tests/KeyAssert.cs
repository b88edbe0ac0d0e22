using System.Text;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

internal static class KeyAssert
{
    /// <summary>Fails with every missing, unexpected and mis-shaped key listed (up to 40 of each).</summary>
    public static void StateDictMatches(nn.Module module, string prefix)
    {
        var expected = HalloKeyList.Under(prefix);
        Assert.NotEmpty(expected);
        var actual = module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape, StringComparer.Ordinal);
        var missing = expected.Keys.Except(actual.Keys).Order().ToList();
        var unexpected = actual.Keys.Except(expected.Keys).Order().ToList();
        var mismatched = expected.Keys.Intersect(actual.Keys)
            .Where(k => !expected[k].SequenceEqual(actual[k]))
            .Order()
            .Select(k => $"{k}: expected [{string.Join(",", expected[k])}], got [{string.Join(",", actual[k])}]")
            .ToList();
        if (missing.Count + unexpected.Count + mismatched.Count == 0)
        {
            return;
        }

        var report = new StringBuilder($"{prefix}: {expected.Count} expected, {actual.Count} actual keys\n");
        Append(report, "missing", missing);
        Append(report, "unexpected", unexpected);
        Append(report, "mismatched", mismatched);
        Assert.Fail(report.ToString());
    }

    private static void Append(StringBuilder report, string title, List<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        report.Append(items.Count).Append(' ').Append(title).AppendLine(":");
        foreach (var item in items.Take(40))
        {
            report.AppendLine("  " + item);
        }
    }
}
