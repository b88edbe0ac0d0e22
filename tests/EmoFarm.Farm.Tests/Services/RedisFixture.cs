using EmoFarm.Testing;
using Xunit;

namespace EmoFarm.Farm.Tests.Services;

/// <summary>One real redis-server (no persistence), shared by every test in a collection that uses it.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? server;

    public RedisServer Server => server ?? throw new InvalidOperationException("The fixture has not started.");

    public async ValueTask InitializeAsync() => server = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
