using Xunit;
namespace EmoFarm.Model.Tests;

/// <summary>
/// Tests that seed torch's process-wide generator (manual_seed) and then build modules from it: another test class
/// drawing from the same generator in parallel changes their weights, so same-seed comparisons must run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRngGroup
{
    public const string Name = "global rng";
}
