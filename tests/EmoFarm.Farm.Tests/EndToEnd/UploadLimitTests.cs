using System.Globalization;
using EmoFarm.Api.V1;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Tests.Corpus;
using EmoFarm.Farm.Tests.Services;
using EmoFarm.Testing;
using Google.Protobuf;
using Grpc.Core;
using Xunit;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>Streams that are too big, abandoned or too slow to judge: each ends cleanly and stores nothing.</summary>
[Collection(ServicesCollectionDefinition.Name)]
public sealed class UploadLimitTests(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly RenderParameters Small = new() { Width = 64, Height = 64 };

    [Fact]
    public async Task CreateRenderStream_OverTheUploadLimit_ResourceExhaustedWithoutReadingTheRest()
    {
        const long limit = 1 << 20, offered = 1L << 30;
        await using var farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        farm.OrchestratorSettings["Orchestrator__MaxUploadBytes"] = limit.ToString(CultureInfo.InvariantCulture);
        await farm.StartOrchestratorAsync();

        // A deadline, so a server that kept reading would fail the test rather than hang it.
        using var call = farm.Client.CreateRenderStream(deadline: DateTime.UtcNow.AddMinutes(2), cancellationToken: Ct);
        await call.RequestStream.WriteAsync(new CreateRenderChunk { Request = new CreateRenderRequest { Parameters = Small } }, Ct);
        var chunk = ByteString.CopyFrom(new byte[64 * 1024]);
        long sent = 0;
        try
        {
            for (; sent < offered; sent += chunk.Length)
                await call.RequestStream.WriteAsync(new CreateRenderChunk { Image = chunk }, Ct);
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // The server ended the call: writing stops here.
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        var violation = Refusal.AssertViolation(error, "image", $"over the upload limit of {limit} bytes", StatusCode.ResourceExhausted);
        Assert.Contains("Orchestrator:MaxUploadBytes", violation.Description, StringComparison.Ordinal);
        // HTTP/2 flow control lets a few windows through after the refusal; far from the gigabyte on offer.
        Assert.True(sent < 64L << 20, $"the client got {sent} bytes into the stream before it was cut off at {limit}");

        // The CLI reads the same refusal as the field and the limit, not as a failed write.
        using var folder = new TempFolder("over-limit");
        var big = folder.File("big.png");
        await File.WriteAllBytesAsync(big, new byte[4 * limit], Ct);
        var cli = await ChildProcess.RunAsync(new ChildProcessOptions
        {
            FileName = "dotnet",
            Arguments = [RepoPaths.Assembly("EmoFarm.Cli", "emofarm.dll"), "submit", "--server", farm.Address, "--api-key", farm.OperatorKey, "--image", big, "--audio", RepoPaths.Sample("speech.wav")],
        }, TimeSpan.FromMinutes(2), Ct);
        Assert.Equal(2, cli.ExitCode);
        Assert.Contains($"image: is over the upload limit of {limit} bytes", cli.Output, StringComparison.Ordinal);
        await Refusal.AssertNothingStoredAsync(farm, Ct);
    }

    [Fact]
    public async Task CreateRenderStream_ClientCancelsBeforeTheEnd_NothingIsStored()
    {
        var (portrait, speech) = (TestMedia.Portrait(), await TestMedia.SpeechAsync(2));
        await using var farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        await farm.StartOrchestratorAsync();

        // Both files whole, then the client gives up instead of completing: the server must not treat what it has
        // as a finished upload.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using (var call = farm.Client.CreateRenderStream(cancellationToken: cancel.Token))
        {
            await call.RequestStream.WriteAsync(new CreateRenderChunk { Request = new CreateRenderRequest { Parameters = Small } }, Ct);
            await call.RequestStream.WriteAsync(new CreateRenderChunk { Image = ByteString.CopyFrom(portrait) }, Ct);
            await call.RequestStream.WriteAsync(new CreateRenderChunk { Audio = ByteString.CopyFrom(speech) }, Ct);
            await cancel.CancelAsync();
            var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
            Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        }

        // A whole submission on the same connection, after the cancellation: it is the only render, and everything
        // stored is its own.
        var kept = await farm.SubmitAsync(portrait, speech, Small);
        var renders = await farm.Client.ListRendersAsync(new ListRendersRequest(), cancellationToken: Ct);
        Assert.Equal([kept.Id], renders.Renders.Select(r => r.Id));
        var (_, objects) = await farm.StoredAsync(Ct);
        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.StartsWith($"{BlobKeys.Render(farm.Tenant, kept.Id)}/", o, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateRenderStream_InputSlowerToJudgeThanTheLimit_RefusedAtTheLimitAndItsFfmpegKilled()
    {
        const double timeout = 0.3;
        // At the default 8192-pixel limit: a valid grey PNG of 64 MiB of pixels that ffmpeg takes seconds to decode.
        var bomb = ImageMutator.DecompressionBomb(8192);
        var speech = await TestMedia.SpeechAsync(2);
        await using var farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        farm.OrchestratorSettings["Orchestrator__InspectTimeoutSeconds"] = timeout.ToString(CultureInfo.InvariantCulture);
        var orchestrator = await farm.StartOrchestratorAsync();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RpcException>(() => farm.SubmitAsync(bomb, speech, Small));
        var elapsed = clock.Elapsed;

        // Not INVALID_ARGUMENT: a busy orchestrator runs out of time on a valid file too, so the refusal is one to retry.
        Refusal.AssertViolation(error, "image", "could not be judged within 0.3 s (Orchestrator:InspectTimeoutSeconds)", StatusCode.DeadlineExceeded);
        // Two files, each at most the limit, plus the upload and ffmpeg's exit: well under what the decode needs.
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"judged in {elapsed}");
        Assert.Empty(MediaChildren(orchestrator.Id));
        await Refusal.AssertNothingStoredAsync(farm, Ct);
    }

    [Fact]
    public async Task CreateRenderStream_InvalidOutputSize_RefusedBeforeThePortraitIsDecoded()
    {
        // 999936 is a multiple of 64: decoded at that size, the portrait would be 999936x64, 192 MB of RGB.
        var parameters = new RenderParameters { Width = 999_936, Height = 64 };
        var bomb = ImageMutator.DecompressionBomb(8192);
        await using var farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        // Any decode of the bomb takes longer than this, so an image violation would show that it was decoded.
        farm.OrchestratorSettings["Orchestrator__InspectTimeoutSeconds"] = "0.3";
        await farm.StartOrchestratorAsync();

        var speech = await TestMedia.SpeechAsync(2);
        var error = await Assert.ThrowsAsync<RpcException>(() => farm.SubmitAsync(bomb, speech, parameters));

        Refusal.AssertViolation(error, "parameters.width", "999936 is outside 64..1024");
        var fields = error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations.Select(v => v.Field);
        Assert.Equal(["parameters.width"], fields);
        await Refusal.AssertNothingStoredAsync(farm, Ct);
    }

    /// <summary>The ffmpeg and ffprobe processes <paramref name="parent"/> still runs (zombies, already dead, excluded).</summary>
    private static List<string> MediaChildren(int parent) =>
        [.. Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "stat")).Select(ReadOrNull).OfType<string>()
            .Select(stat => stat[(stat.LastIndexOf(')') + 2)..].Split(' ') is var rest && stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')] is var name
                ? (Name: name, State: rest[0], Parent: int.Parse(rest[1], CultureInfo.InvariantCulture)) : default)
            .Where(p => p.Parent == parent && p.State != "Z" && p.Name is "ffmpeg" or "ffprobe")
            .Select(p => $"{p.Name} ({p.State})")];

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
