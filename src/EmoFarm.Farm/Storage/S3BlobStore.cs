using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;

namespace EmoFarm.Farm.Storage;

/// <summary>Objects in one S3 bucket through the Minio client, which speaks plain S3 to any provider.</summary>
/// <param name="uploads">Signs upload URLs; null for a store that hands none out (a worker's).</param>
public sealed class S3BlobStore(IMinioClient client, string bucket, S3UploadSigner? uploads = null) : IBlobStore
{
    public static IMinioClient CreateClient(S3Options options) => new MinioClient()
        .WithEndpoint(options.Endpoint)
        .WithCredentials(options.AccessKey, options.SecretKey)
        .WithRegion(options.Region)
        .WithSSL(options.UseTls)
        .Build();

    public async Task EnsureReadyAsync(CancellationToken ct)
    {
        if (!await client.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket), ct))
            await client.MakeBucketAsync(new MakeBucketArgs().WithBucket(bucket), ct);
    }

    public async Task PutAsync(string key, Stream content, long length, string contentType, CancellationToken ct) =>
        await client.PutObjectAsync(new PutObjectArgs()
            .WithBucket(bucket).WithObject(key)
            .WithStreamData(content).WithObjectSize(length)
            .WithContentType(contentType), ct);

    public async Task ReadAsync(string key, Func<Stream, CancellationToken, Task> reader, CancellationToken ct)
    {
        try
        {
            await client.GetObjectAsync(new GetObjectArgs().WithBucket(bucket).WithObject(key).WithCallbackStream(reader), ct);
        }
        catch (ObjectNotFoundException e)
        {
            throw new BlobNotFoundException(key, e);
        }
    }

    public async Task<BlobInfo?> StatAsync(string key, CancellationToken ct)
    {
        try
        {
            var stat = await client.StatObjectAsync(new StatObjectArgs().WithBucket(bucket).WithObject(key), ct);
            return new BlobInfo(key, stat.Size);
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct) =>
        client.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(bucket).WithObject(key), ct);

    public async Task<Uri> PresignGetAsync(string key, TimeSpan lifetime, CancellationToken ct) =>
        new(await client.PresignedGetObjectAsync(new PresignedGetObjectArgs()
            .WithBucket(bucket).WithObject(key).WithExpiry((int)lifetime.TotalSeconds)));

    public Uri? PresignPut(string key, long length, TimeSpan lifetime) => uploads?.PresignPut(bucket, key, length, lifetime);
}
