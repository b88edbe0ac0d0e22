using System.Globalization;
using EmoFarm.Testing;

namespace EmoFarm.Benchmarks;

/// <summary>The real RabbitMQ, Redis and Swift S3, started side by side as local processes.</summary>
internal sealed class FarmServers : IAsyncDisposable
{
    private FarmServers(RabbitMqBroker rabbit, RedisServer redis, SwiftS3Server s3)
    {
        Rabbit = rabbit;
        Redis = redis;
        S3 = s3;
    }

    public RabbitMqBroker Rabbit { get; }
    public RedisServer Redis { get; }
    public SwiftS3Server S3 { get; }

    public static async Task<FarmServers> StartAsync()
    {
        var rabbit = RabbitMqBroker.StartAsync();
        var redis = RedisServer.StartAsync();
        var s3 = SwiftS3Server.StartAsync();
        try
        {
            await Task.WhenAll(rabbit, redis, s3);
            return new FarmServers(rabbit.Result, redis.Result, s3.Result);
        }
        catch
        {
            // Whichever did start must not outlive the run.
            await DisposeIfStartedAsync(rabbit);
            await DisposeIfStartedAsync(redis);
            await DisposeIfStartedAsync(s3);
            throw;
        }
    }

    private static async Task DisposeIfStartedAsync<T>(Task<T> start) where T : IAsyncDisposable
    {
        if (start.IsCompletedSuccessfully)
            await start.Result.DisposeAsync();
    }

    /// <summary>What a farm host reads, in the shape of its appsettings.</summary>
    public Dictionary<string, string?> Configuration(string bucket) => new()
    {
        ["Rabbit:Host"] = Rabbit.Host,
        ["Rabbit:Port"] = Rabbit.AmqpPort.ToString(CultureInfo.InvariantCulture),
        ["Rabbit:Username"] = Rabbit.Username,
        ["Rabbit:Password"] = Rabbit.Password,
        ["Redis:Configuration"] = Redis.ConnectionString,
        ["S3:Endpoint"] = S3.Endpoint,
        ["S3:AccessKey"] = S3.AccessKey,
        ["S3:SecretKey"] = S3.SecretKey,
        ["S3:Region"] = S3.Region,
        ["S3:Bucket"] = bucket,
    };

    public async ValueTask DisposeAsync()
    {
        await Rabbit.DisposeAsync();
        await Redis.DisposeAsync();
        await S3.DisposeAsync();
    }
}
