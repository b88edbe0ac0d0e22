using Xunit;

namespace EmoFarm.Farm.Tests.Services;

/// <summary>Tests in this collection share one RedisFixture, started once for the collection.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollectionDefinition : ICollectionFixture<RedisFixture>
{
    public const string Name = "Redis";
}
