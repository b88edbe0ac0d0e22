using System.Security.Cryptography;
using EmoFarm.Api.V1;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Farm.Tests.Services;
using Google.Protobuf;
using Grpc.Core;
using Minio.DataModel.Args;
using Xunit;

namespace EmoFarm.Farm.Tests.Tenancy;

/// <summary>
/// A tenant sees only its own renders and objects, over every RPC; to anyone else a render answers exactly as an
/// id that never existed. An administrator sees everything.
/// </summary>
[Collection(ServicesCollectionDefinition.Name)]
public sealed partial class TenancyTests(TenancyFarm tenancy) : IClassFixture<TenancyFarm>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnotherTenant_FindsNoTraceOfARender_OverEveryRpc()
    {
        var id = tenancy.Finished.Id;
        var b = tenancy.As("b");
        var unknown = Guid.CreateVersion7().ToString("N");
        var calls = new Dictionary<string, Func<string, Task>>
        {
            ["GetRender"] = async i => await b.GetRenderAsync(new GetRenderRequest { Id = i }, cancellationToken: Ct),
            ["CancelRender"] = async i => await b.CancelRenderAsync(new CancelRenderRequest { Id = i }, cancellationToken: Ct),
            ["RetryRender"] = async i => await b.RetryRenderAsync(new RetryRenderRequest { Id = i }, cancellationToken: Ct),
            ["GetResult"] = async i => await b.GetResultAsync(new GetResultRequest { Id = i }, cancellationToken: Ct),
            ["GetPreview"] = async i => await b.GetPreviewAsync(new GetPreviewRequest { Id = i }, cancellationToken: Ct),
            ["WatchRender"] = async i =>
            {
                using var call = b.WatchRender(new WatchRenderRequest { Id = i }, cancellationToken: Ct);
                await call.ResponseStream.MoveNext(Ct);
            },
            ["DownloadResult"] = async i =>
            {
                using var call = b.DownloadResult(new GetResultRequest { Id = i }, cancellationToken: Ct);
                await call.ResponseStream.MoveNext(Ct);
            },
        };
        foreach (var (name, call) in calls)
        {
            var theirs = await Assert.ThrowsAsync<RpcException>(() => call(id));
            var nobodys = await Assert.ThrowsAsync<RpcException>(() => call(unknown));
            Assert.True(theirs.StatusCode == StatusCode.NotFound, $"{name}: {theirs.Status}");
            // Word for word the answer for an id that never existed, so that nothing tells the two apart.
            Assert.Equal(nobodys.Status.Detail.Replace(unknown, "ID", StringComparison.Ordinal), theirs.Status.Detail.Replace(id, "ID", StringComparison.Ordinal));
        }
        var listed = await b.ListRendersAsync(new ListRendersRequest { PageSize = 500 }, cancellationToken: Ct);
        Assert.DoesNotContain(listed.Renders, r => r.Tenant != "b");
        Assert.Equal(RenderState.Succeeded, (await tenancy.As("a").GetRenderAsync(new GetRenderRequest { Id = id }, cancellationToken: Ct)).State);
    }

    [Fact]
    public async Task CreateByKey_TakesOnlyTheCallersUploads()
    {
        var s3 = tenancy.Farm.S3Client();
        var mine = $"{BlobKeys.UploadPrefix("a")}isolation/portrait.png";
        var track = $"{BlobKeys.UploadPrefix("a")}isolation/speech.wav";
        foreach (var (key, data) in new[] { (mine, TestMedia.Portrait()), (track, await TestMedia.SpeechAsync(0.5)) })
        {
            using var stream = new MemoryStream(data);
            await s3.PutObjectAsync(new PutObjectArgs().WithBucket(tenancy.Farm.Bucket).WithObject(key).WithStreamData(stream).WithObjectSize(data.Length), Ct);
        }
        var before = await tenancy.Farm.StoredAsync(Ct);
        var renderObject = BlobKeys.Portrait("a", tenancy.Finished.Id);
        foreach (var image in new[] { mine, renderObject, $"{BlobKeys.UploadPrefix("b")}../a/uploads/isolation/portrait.png", "isolation/portrait.png" })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(async () => await tenancy.As("b").CreateRenderAsync(
                new CreateRenderRequest { ImageKey = image, AudioKey = track, Parameters = TenancyFarm.Parameters }, cancellationToken: Ct));
            Refusal.AssertViolation(refused, "image_key", "does not exist under your upload prefix 'tenants/b/uploads/'");
            Refusal.AssertViolation(refused, "audio_key", "does not exist");
        }
        await tenancy.AssertUnchangedAsync(before);

        var accepted = await tenancy.As("a").CreateRenderAsync(new CreateRenderRequest { ImageKey = mine, AudioKey = track, Parameters = TenancyFarm.Parameters }, cancellationToken: Ct);
        Assert.Equal(("a", RenderState.Queued), (accepted.Tenant, accepted.State));
        // An administrator may render from any tenant's uploads.
        var admin = await tenancy.Farm.Client.CreateRenderAsync(new CreateRenderRequest { ImageKey = mine, AudioKey = track, Parameters = TenancyFarm.Parameters }, cancellationToken: Ct);
        Assert.Equal(tenancy.Farm.Tenant, admin.Tenant);
        foreach (var render in new[] { accepted, admin })
            await tenancy.Farm.Client.CancelRenderAsync(new CancelRenderRequest { Id = render.Id }, cancellationToken: Ct);
    }

    [Fact]
    public async Task Administrator_SeesListsAndDownloadsEveryTenantsRenders()
    {
        var theirs = await tenancy.Farm.SubmitAsync(TestMedia.Portrait(), await TestMedia.SpeechAsync(0.5), TenancyFarm.Parameters, client: tenancy.As("b"));
        var admin = tenancy.Farm.Client;
        var listed = (await admin.ListRendersAsync(new ListRendersRequest { PageSize = 500 }, cancellationToken: Ct)).Renders;
        Assert.Contains(listed, r => r.Id == tenancy.Finished.Id && r.Tenant == "a");
        Assert.Contains(listed, r => r.Id == theirs.Id && r.Tenant == "b");
        Assert.Equal("a", (await admin.GetRenderAsync(new GetRenderRequest { Id = tenancy.Finished.Id }, cancellationToken: Ct)).Tenant);

        var result = await admin.GetResultAsync(new GetResultRequest { Id = tenancy.Finished.Id }, cancellationToken: Ct);
        using var download = admin.DownloadResult(new GetResultRequest { Id = tenancy.Finished.Id }, cancellationToken: Ct);
        var bytes = new MemoryStream();
        await foreach (var chunk in download.ResponseStream.ReadAllAsync(Ct))
            chunk.Data.WriteTo(bytes);
        Assert.Equal(result.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray())));

        var cancelled = await admin.CancelRenderAsync(new CancelRenderRequest { Id = theirs.Id }, cancellationToken: Ct);
        Assert.Equal(RenderState.Cancelled, cancelled.State);
    }

    [Fact]
    public async Task ResultUrl_ReadsOneObjectForAShortTime()
    {
        var result = await tenancy.As("a").GetResultAsync(new GetResultRequest { Id = tenancy.Finished.Id, UrlTtlSeconds = 60 }, cancellationToken: Ct);
        var url = new Uri(result.Url);
        Assert.Contains(BlobKeys.Output("a", tenancy.Finished.Id), Uri.UnescapeDataString(url.AbsolutePath), StringComparison.Ordinal);
        Assert.Contains("X-Amz-Expires=60", url.Query, StringComparison.Ordinal);
        using var http = new HttpClient();
        var video = await http.GetByteArrayAsync(url, Ct);
        Assert.Equal(result.Sha256, Convert.ToHexStringLower(SHA256.HashData(video)));
        // The signature covers the path: the same URL pointed at the render's portrait is refused.
        var other = new UriBuilder(url) { Path = url.AbsolutePath.Replace("output/render.mp4", "input/portrait.png", StringComparison.Ordinal) }.Uri;
        using var response = await http.GetAsync(other, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task IdempotencyKey_IsPerTenant()
    {
        var portrait = TestMedia.Portrait();
        var audio = await TestMedia.SpeechAsync(0.5);
        var ofA = await tenancy.Farm.SubmitAsync(portrait, audio, TenancyFarm.Parameters, "job-7", tenancy.As("a"));
        var ofB = await tenancy.Farm.SubmitAsync(portrait, audio, TenancyFarm.Parameters, "job-7", tenancy.As("b"));
        var again = await tenancy.Farm.SubmitAsync(portrait, audio, TenancyFarm.Parameters, "job-7", tenancy.As("a"));
        Assert.NotEqual(ofA.Id, ofB.Id);
        Assert.Equal(ofA.Id, again.Id);
        Assert.Equal(("a", "b"), (ofA.Tenant, ofB.Tenant));
        foreach (var id in new[] { ofA.Id, ofB.Id })
            await tenancy.Farm.Client.CancelRenderAsync(new CancelRenderRequest { Id = id }, cancellationToken: Ct);
    }
}
