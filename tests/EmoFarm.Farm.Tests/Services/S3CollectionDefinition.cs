using Xunit;

namespace EmoFarm.Farm.Tests.Services;

/// <summary>Tests in this collection share one S3Fixture, started once for the collection.</summary>
[CollectionDefinition(Name)]
public sealed class S3CollectionDefinition : ICollectionFixture<S3Fixture>
{
    public const string Name = "S3";
}
