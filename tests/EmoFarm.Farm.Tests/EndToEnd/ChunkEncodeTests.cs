using System.Security.Cryptography;
using System.Threading.Channels;
using EmoFarm.Contracts;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Frames;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Tests.Scheduling;
using EmoFarm.Farm.Tests.Services;
using EmoFarm.Farm.Tests.State;
using EmoFarm.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>
/// The worker's chunk encode on the real broker, store and bucket, driven by commands the test publishes as the
/// orchestrator would: a repeat is harmless, and a chunk is a self-contained piece of one continuous stream.
/// </summary>
[Collection(ServicesCollectionDefinition.Name)]
public sealed class ChunkEncodeTests(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3)
{
    private const int Size = 64, Fps = 25;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EncodeChunk_ConsumedTwice_StoresTheSameObject_OnAnIdrFrameContinuingThePreviousChunk()
    {
        await using var farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        await using var worker = await InProcessWorker.StartAsync(farm.WorkerConfiguration("encoder", new Dictionary<string, string?>()),
            _ => new FixedTimeRenderer(TimeSpan.Zero), Ct);
        var store = worker.Services.GetRequiredService<IRenderStore>();
        var blobs = worker.Services.GetRequiredService<IBlobStore>();
        var bus = worker.Services.GetRequiredService<IBus>();
        var render = RenderStoreContract.NewRender(segments: 3);
        await store.CreateAsync(render, SegmentPlanner.Plan(render.FrameTotal, 10, 2), ActiveRenderLimits.None, Ct);
        var keys = Enumerable.Range(0, 40).Select(f => BlobKeys.Frame(render.Tenant, render.Id, 0, f)).ToList();
        await new FrameStore(blobs).PutAsync([.. keys.Select((key, f) => (key, Moving(f)))], 8, Ct);

        var encoded = Channel.CreateUnbounded<ChunkEncoded>();
        var endpoint = bus.ConnectReceiveEndpoint($"test-chunk-encoded-{Guid.NewGuid():N}",
            e => e.Handler<ChunkEncoded>(c => encoded.Writer.WriteAsync(c.Message, c.CancellationToken).AsTask()));
        await endpoint.Ready.WaitAsync(Timeout, Ct);
        try
        {
            var key = BlobKeys.Chunk(render.Tenant, render.Id, 1);
            await bus.Publish(Command(render, keys, chunk: 1, first: 20, count: 20), Ct);
            var once = await encoded.Reader.ReadAsync(Ct).AsTask().WaitAsync(Timeout, Ct);
            var first = SHA256.HashData(await blobs.GetBytesAsync(key, Ct));
            await bus.Publish(Command(render, keys, chunk: 1, first: 20, count: 20), Ct);
            var twice = await encoded.Reader.ReadAsync(Ct).AsTask().WaitAsync(Timeout, Ct);
            Assert.Equal((1, 1), (once.ChunkIndex, twice.ChunkIndex));
            Assert.Equal(Convert.ToHexString(first), Convert.ToHexString(SHA256.HashData(await blobs.GetBytesAsync(key, Ct))));
            Assert.Equal(once.Bytes, twice.Bytes);

            await bus.Publish(Command(render, keys, chunk: 0, first: 0, count: 20), Ct);
            Assert.Equal(0, (await encoded.Reader.ReadAsync(Ct).AsTask().WaitAsync(Timeout, Ct)).ChunkIndex);
            using var folder = new TempFolder("chunk");
            var paths = new[] { folder.File("0.ts"), folder.File("1.ts") };
            for (var i = 0; i < 2; i++)
            {
                await File.WriteAllBytesAsync(paths[i], await blobs.GetBytesAsync(BlobKeys.Chunk(render.Tenant, render.Id, i), Ct), Ct);
                var types = await StoredVideo.PictureTypesAsync(paths[i], Ct);
                Assert.Equal(20, types.Count);
                Assert.Equal((true, "I"), types[0]);
            }
            Assert.Equal(20.0 / Fps, await StoredVideo.StartSecondsAsync(paths[1], Ct) - await StoredVideo.StartSecondsAsync(paths[0], Ct), precision: 3);
        }
        finally
        {
            await endpoint.StopAsync(Ct);
        }
    }

    private static EncodeChunk Command(RenderRecord render, IReadOnlyList<string> keys, int chunk, int first, int count) => new()
    {
        RenderId = render.Id,
        Tenant = render.Tenant,
        ChunkIndex = chunk,
        FirstFrame = first,
        FrameCount = count,
        Fps = Fps,
        Width = Size,
        Height = Size,
        FrameKeys = [.. keys.Skip(first).Take(count)],
    };

    /// <summary>A diagonal gradient moving a few pixels a frame: motion for the encoder to predict.</summary>
    private static RgbImage Moving(int frame)
    {
        var image = RgbImage.Blank(Size, Size);
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                for (var c = 0; c < 3; c++)
                    image.Pixels[(y * Size + x) * 3 + c] = (byte)((x + y + 3 * frame) * (c + 1) * 2);
            }
        }

        return image;
    }
}
