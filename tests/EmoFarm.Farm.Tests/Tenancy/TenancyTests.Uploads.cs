using System.Net;
using EmoFarm.Api.V1;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Tests.EndToEnd;
using Grpc.Core;
using Xunit;

namespace EmoFarm.Farm.Tests.Tenancy;

/// <summary>CreateUpload: a URL for one PUT of the declared size to one key under the caller's upload prefix.</summary>
public sealed partial class TenancyTests
{
    [Fact]
    public async Task CreateUpload_TakesExactlyTheDeclaredBytesAtOneKey_ThenRendersByThatKey()
    {
        var portrait = TestMedia.Portrait();
        var speech = await TestMedia.SpeechAsync(0.5);
        var a = tenancy.As("a");
        var image = await a.CreateUploadAsync(new CreateUploadRequest { Filename = "../me photo.png", SizeBytes = (ulong)portrait.Length }, cancellationToken: Ct);
        var audio = await a.CreateUploadAsync(new CreateUploadRequest { Filename = "speech.wav", SizeBytes = (ulong)speech.Length, UrlTtlSeconds = 120 }, cancellationToken: Ct);
        Assert.StartsWith(BlobKeys.UploadPrefix("a"), image.Key, StringComparison.Ordinal);
        Assert.EndsWith("/me_photo.png", image.Key, StringComparison.Ordinal);
        Assert.InRange(audio.ExpiresAt.ToDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(121));

        using var http = new HttpClient();
        // One byte more, or one less, than declared: the signature covers Content-Length.
        foreach (var wrong in new[] { portrait.Append((byte)0).ToArray(), portrait[..^1] })
        {
            using var refused = await http.PutAsync(image.Url, new ByteArrayContent(wrong), Ct);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        // The same signature at another key.
        var elsewhere = image.Url.Replace(Uri.EscapeDataString("me_photo.png"), "other.png", StringComparison.Ordinal);
        Assert.NotEqual(image.Url, elsewhere);
        using (var moved = await http.PutAsync(elsewhere, new ByteArrayContent(portrait), Ct))
            Assert.Equal(HttpStatusCode.Forbidden, moved.StatusCode);
        foreach (var (upload, bytes) in new[] { (image, portrait), (audio, speech) })
        {
            using var put = await http.PutAsync(upload.Url, new ByteArrayContent(bytes), Ct);
            Assert.True(put.IsSuccessStatusCode, $"{put.StatusCode}: {await put.Content.ReadAsStringAsync(Ct)}");
        }

        var render = await a.CreateRenderAsync(new CreateRenderRequest { ImageKey = image.Key, AudioKey = audio.Key, Parameters = TenancyFarm.Parameters }, cancellationToken: Ct);
        Assert.Equal(RenderState.Queued, render.State);
        await a.CancelRenderAsync(new CancelRenderRequest { Id = render.Id }, cancellationToken: Ct);
        // Another tenant cannot render from them.
        var theirs = await Assert.ThrowsAsync<RpcException>(async () => await tenancy.As("b").CreateRenderAsync(
            new CreateRenderRequest { ImageKey = image.Key, AudioKey = audio.Key, Parameters = TenancyFarm.Parameters }, cancellationToken: Ct));
        Refusal.AssertViolation(theirs, "image_key", "does not exist under your upload prefix");
    }

    [Fact]
    public async Task CreateUpload_WithoutASizeOrOverTheLimit_IsRefusedNamingTheField()
    {
        var none = await Assert.ThrowsAsync<RpcException>(async () => await tenancy.As("a").CreateUploadAsync(new CreateUploadRequest { Filename = "x.wav" }, cancellationToken: Ct));
        Refusal.AssertViolation(none, "size_bytes", "is required");
        var huge = await Assert.ThrowsAsync<RpcException>(async () => await tenancy.As("a").CreateUploadAsync(
            new CreateUploadRequest { Filename = "x.wav", SizeBytes = 1UL << 40 }, cancellationToken: Ct));
        Refusal.AssertViolation(huge, "size_bytes", "over the upload limit", StatusCode.ResourceExhausted);
        var long_ = await Assert.ThrowsAsync<RpcException>(async () => await tenancy.As("a").CreateUploadAsync(
            new CreateUploadRequest { Filename = "x.wav", SizeBytes = 10, UrlTtlSeconds = 100_000 }, cancellationToken: Ct));
        Refusal.AssertViolation(long_, "url_ttl_seconds", "over the limit of 86400");
    }
}
