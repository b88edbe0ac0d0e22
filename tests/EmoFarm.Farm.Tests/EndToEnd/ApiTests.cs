using EmoFarm.Api.V1;
using EmoFarm.Farm.Tests.Services;
using Grpc.Core;
using Grpc.Health.V1;
using Xunit;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>The gRPC API's contract with no worker running: renders wait, queued, in RabbitMQ.</summary>
[Collection(ServicesCollectionDefinition.Name)]
public sealed class ApiTests(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Api_IdempotencyListingAndErrors_BehaveAsDocumented()
    {
        await using var farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        await farm.StartOrchestratorAsync();
        var portrait = TestMedia.Portrait();
        var audio = await TestMedia.SpeechAsync(3);
        var parameters = new RenderParameters { Width = 64, Height = 64, SegmentFrames = 30, OverlapFrames = 4 };

        var first = await farm.SubmitAsync(portrait, audio, parameters, idempotencyKey: "job-42");
        var again = await farm.SubmitAsync(portrait, audio, parameters, idempotencyKey: "job-42");
        var other = await farm.SubmitAsync(portrait, audio, parameters);
        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Id, other.Id);
        Assert.Equal(RenderState.Queued, first.State);
        Assert.Equal(3u, first.Progress.SegmentsTotal);
        Assert.Equal(75ul + 2 * 4, first.Progress.FramesTotal);

        var page1 = await farm.Client.ListRendersAsync(new ListRendersRequest { PageSize = 1 }, cancellationToken: Ct);
        var page2 = await farm.Client.ListRendersAsync(new ListRendersRequest { PageSize = 1, PageToken = page1.NextPageToken }, cancellationToken: Ct);
        Assert.Equal([other.Id, first.Id], page1.Renders.Concat(page2.Renders).Select(r => r.Id));
        var succeeded = await farm.Client.ListRendersAsync(new ListRendersRequest { State = RenderState.Succeeded }, cancellationToken: Ct);
        Assert.Empty(succeeded.Renders);

        var notFound = await Assert.ThrowsAsync<RpcException>(async () => await farm.Client.GetRenderAsync(new GetRenderRequest { Id = "nope" }, cancellationToken: Ct));
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        var notReady = await Assert.ThrowsAsync<RpcException>(async () => await farm.Client.GetResultAsync(new GetResultRequest { Id = first.Id }, cancellationToken: Ct));
        Assert.Equal(StatusCode.FailedPrecondition, notReady.StatusCode);

        var health = new Health.HealthClient(Grpc.Net.Client.GrpcChannel.ForAddress(farm.Address));
        var status = await health.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status.Status);
    }
}
