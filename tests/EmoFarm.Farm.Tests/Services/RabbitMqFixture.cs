using EmoFarm.Testing;
using Xunit;

namespace EmoFarm.Farm.Tests.Services;

/// <summary>One real RabbitMQ broker, shared by every test in a collection that uses this fixture.</summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    private RabbitMqBroker? broker;

    public RabbitMqBroker Broker => broker ?? throw new InvalidOperationException("The fixture has not started.");

    public async ValueTask InitializeAsync() => broker = await RabbitMqBroker.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (broker is not null)
        {
            await broker.DisposeAsync();
        }
    }
}
