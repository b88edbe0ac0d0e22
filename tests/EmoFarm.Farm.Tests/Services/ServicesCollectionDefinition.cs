using Xunit;

namespace EmoFarm.Farm.Tests.Services;

/// <summary>
/// Tests in this collection share one broker, one Redis and one S3 endpoint, each started once for the
/// collection. Take whichever fixtures you need in the test class's constructor.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ServicesCollectionDefinition :
    ICollectionFixture<RabbitMqFixture>, ICollectionFixture<RedisFixture>, ICollectionFixture<S3Fixture>
{
    public const string Name = "Services";
}
