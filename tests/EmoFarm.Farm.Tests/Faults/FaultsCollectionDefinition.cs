using Xunit;

namespace EmoFarm.Farm.Tests.Faults;

/// <summary>The fault tests, one after another on their own services, which they restart.</summary>
[CollectionDefinition(Name)]
public sealed class FaultsCollectionDefinition : ICollectionFixture<FaultServices>
{
    public const string Name = "Faults";
}
