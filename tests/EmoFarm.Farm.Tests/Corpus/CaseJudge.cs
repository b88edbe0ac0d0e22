using System.Diagnostics;
using EmoFarm.Api.V1;
using EmoFarm.Farm.Storage;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;

namespace EmoFarm.Farm.Tests.Corpus;

/// <summary>
/// Submits hostile cases to a real orchestrator and checks each against the contract: a refusal is INVALID_ARGUMENT
/// (or RESOURCE_EXHAUSTED, or DEADLINE_EXCEEDED for a file not judged in time) naming the case's field and stores nothing; an acceptance is a normal queued render, which
/// is then cancelled.
/// </summary>
/// <param name="stored">Everything the farm has stored (Redis keys and bucket objects), for before/after comparison.</param>
/// <param name="upload">Puts an object in the farm's bucket, for the bucket-key path.</param>
/// <param name="tenant">The client's tenant: its bucket-key inputs go under the tenant's upload prefix.</param>
internal sealed class CaseJudge(
    RenderService.RenderServiceClient client,
    string tenant,
    Func<CancellationToken, Task<IReadOnlySet<string>>> stored,
    Func<string, byte[], CancellationToken, Task> upload)
{
    /// <summary>The caller's own objects (bucket-key inputs), outside what a refusal may not add to.</summary>
    private string UploadsPrefix => $"s3:{BlobKeys.UploadPrefix(tenant)}";

    /// <param name="compareStored">
    /// Compare what is stored before and after. Only sound when no other case runs meanwhile; cases judged side by
    /// side are checked together instead, with <see cref="FarmOwnedAsync"/>.
    /// </param>
    public async Task<Verdict> JudgeAsync(HostileCase c, bool compareStored, CancellationToken ct)
    {
        var request = new CreateRenderRequest
        {
            Parameters = c.Parameters,
            IdempotencyKey = c.IdempotencyKey,
            ImageFilename = c.ImageFilename,
            AudioFilename = c.AudioFilename,
        };
        if (c.ViaBucket)
        {
            // The caller's own objects: keyed under the case, named with the (possibly lying) filename.
            request.ImageKey = await UploadOnceAsync(c.Image, c.ImageFilename, ct);
            request.AudioKey = await UploadOnceAsync(c.Audio, c.AudioFilename, ct);
        }
        var before = compareStored ? await FarmOwnedAsync(ct) : null;
        var clock = Stopwatch.StartNew();
        Render render;
        try
        {
            render = c.ViaBucket ? await client.CreateRenderAsync(request, cancellationToken: ct) : await StreamAsync(request, c, ct);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled || !ct.IsCancellationRequested)
        {
            var elapsed = clock.Elapsed;
            var leftovers = before is null ? [] : (await FarmOwnedAsync(ct)).Except(before).ToList();
            return Refused(c, e, elapsed, leftovers);
        }
        var judged = clock.Elapsed;
        string? problem = c.Expect == Expectation.Refuse ? "accepted, but this mutation leaves no valid input" : null;
        if (render.State != RenderState.Queued)
            problem = $"accepted as {render.State}, not a queued render ({render.Error})";
        var cancelled = await client.CancelRenderAsync(new CancelRenderRequest { Id = render.Id }, cancellationToken: ct);
        if (cancelled.State != RenderState.Cancelled)
            problem ??= $"accepted render {render.Id} did not cancel: {cancelled.State}";
        return new Verdict(c, null, null, judged, problem);
    }

    /// <summary>
    /// The caller's object for these bytes under this name (the name may lie about the format). The unmutated partner
    /// file of most cases is the same seed, so it is uploaded once rather than once a case.
    /// </summary>
    private async Task<string> UploadOnceAsync(byte[] data, string filename, CancellationToken ct)
    {
        var key = $"{UploadsPrefix[3..]}{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data))[..16]}/{filename}";
        // A task per key, so a case judged alongside waits for the same upload instead of racing past it.
        await _uploaded.GetOrAdd(key, k => upload(k, data, ct));
        return key;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task> _uploaded = new();

    /// <summary>What the farm itself has stored: everything but the caller's uploads.</summary>
    public async Task<IReadOnlySet<string>> FarmOwnedAsync(CancellationToken ct) =>
        (await stored(ct)).Where(k => !k.StartsWith(UploadsPrefix, StringComparison.Ordinal)).ToHashSet();

    private static Verdict Refused(HostileCase c, RpcException e, TimeSpan elapsed, List<string> leftovers)
    {
        var violations = e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations ?? [];
        var named = violations.FirstOrDefault(v => v.Field == c.Field);
        var shown = named ?? violations.FirstOrDefault();
        var problem = e.StatusCode is not (StatusCode.InvalidArgument or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded)
            ? $"refused with {e.StatusCode} ({e.Status.Detail}), not INVALID_ARGUMENT"
            : named is null
                ? $"no violation names '{c.Field}' (got {string.Join(", ", violations.Select(v => v.Field))}; {e.Status.Detail})"
                : leftovers.Count > 0
                    ? $"refused, yet stored {string.Join(", ", leftovers.Take(5))}"
                    : c.Expect == Expectation.Accept ? "refused, but the content is valid (only its name lies)" : null;
        return new Verdict(c, e.StatusCode, shown is null ? e.Status.Detail : $"{shown.Field}: {shown.Description}", elapsed, problem);
    }

    private async Task<Render> StreamAsync(CreateRenderRequest request, HostileCase c, CancellationToken ct)
    {
        using var call = client.CreateRenderStream(cancellationToken: ct);
        try
        {
            await call.RequestStream.WriteAsync(new CreateRenderChunk { Request = request }, ct);
            foreach (var chunk in c.Image.Chunk(256 * 1024))
                await call.RequestStream.WriteAsync(new CreateRenderChunk { Image = ByteString.CopyFrom(chunk) }, ct);
            foreach (var chunk in c.Audio.Chunk(256 * 1024))
                await call.RequestStream.WriteAsync(new CreateRenderChunk { Audio = ByteString.CopyFrom(chunk) }, ct);
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // The server may end the call before the stream is sent (a size limit): its status is the answer.
        }
        return await call.ResponseAsync;
    }
}
