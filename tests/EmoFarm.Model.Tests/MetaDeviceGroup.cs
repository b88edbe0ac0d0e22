using Xunit;
namespace EmoFarm.Model.Tests;

/// <summary>Tests that switch torch's process-wide default device must not overlap with any other test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetaDeviceGroup
{
    public const string Name = "meta device";
}
