using EmoFarm.Testing;
using Minio;
using Xunit;

namespace EmoFarm.Farm.Tests.Services;

/// <summary>One real S3 endpoint (Swift + s3api), shared by every test in a collection that uses it.</summary>
public sealed class S3Fixture : IAsyncLifetime
{
    private SwiftS3Server? server;

    public SwiftS3Server Server => server ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>A Minio client for this endpoint; pass another secret to act as a client with the wrong key.</summary>
    public IMinioClient CreateClient(string? secretKey = null) => CreateClient(Server, secretKey);

    public static IMinioClient CreateClient(SwiftS3Server server, string? secretKey = null) =>
        new MinioClient()
            .WithEndpoint(server.Endpoint)
            .WithCredentials(server.AccessKey, secretKey ?? server.SecretKey)
            .WithRegion(server.Region)
            .Build();

    public async ValueTask InitializeAsync() => server = await SwiftS3Server.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
