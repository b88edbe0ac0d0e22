using Xunit;

namespace EmoFarm.Farm.Tests.Services;

/// <summary>Tests in this collection share one RabbitMqFixture, started once for the collection.</summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqCollectionDefinition : ICollectionFixture<RabbitMqFixture>
{
    public const string Name = "RabbitMq";
}
