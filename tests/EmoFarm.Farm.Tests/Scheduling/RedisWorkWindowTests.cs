using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.Tests.Services;
using StackExchange.Redis;
using Xunit;

namespace EmoFarm.Farm.Tests.Scheduling;

[Collection(RedisCollectionDefinition.Name)]
public sealed class RedisWorkWindowTests(RedisFixture redis) : WorkWindowContract, IAsyncLifetime
{
    private readonly string _prefix = $"window-{Guid.NewGuid():N}:";
    private ConnectionMultiplexer? _connection;

    protected override IWorkWindow Window => new RedisWorkWindow(_connection!, _prefix);

    public async ValueTask InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync();
    }
}
