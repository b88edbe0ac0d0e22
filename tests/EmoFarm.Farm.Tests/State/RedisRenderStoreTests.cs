using EmoFarm.Farm.State;
using EmoFarm.Farm.Tests.Services;
using StackExchange.Redis;
using Xunit;

namespace EmoFarm.Farm.Tests.State;

[Collection(RedisCollectionDefinition.Name)]
public sealed class RedisRenderStoreTests(RedisFixture redis) : RenderStoreContract, IAsyncLifetime
{
    private ConnectionMultiplexer? _connection;

    protected override IRenderStore Store => new RedisRenderStore(_connection!, $"test-{GetHashCode()}:");

    public async ValueTask InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync();
    }
}
