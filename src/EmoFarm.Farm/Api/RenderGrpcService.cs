using EmoFarm.Api.V1;
using EmoFarm.Farm.Faces;
using EmoFarm.Farm.Orchestration;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Submission;
using EmoFarm.Farm.Telemetry;
using EmoFarm.Farm.Tenancy;
using EmoFarm.Farm.Video;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderState = EmoFarm.Farm.State.RenderState;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace EmoFarm.Farm.Api;

/// <summary>
/// The public API: thin mapping from gRPC onto the submitter and the state store. Every call acts for its
/// <see cref="Caller"/>: a render of another tenant answers NOT_FOUND exactly as an unknown id does, so that a caller
/// cannot even learn that it exists.
/// </summary>
public sealed class RenderGrpcService(
    RenderSubmitter submitter, IRenderStore store, IBlobStore blobs, RenderResumer resumer, FairScheduler scheduler, PreviewWriter previews, IOptions<OrchestratorOptions> options,
    IOptions<QualityOptions> quality, IOptions<RenderDefaults> defaults, TimeProvider clock, ILogger<RenderGrpcService> logger)
    : RenderService.RenderServiceBase
{
    [EnableRateLimiting(CreateRateLimit.Policy)]
    public override async Task<Render> CreateRenderStream(IAsyncStreamReader<CreateRenderChunk> requestStream, ServerCallContext context)
    {
        var caller = CallerClaims.Of(context);
        using var upload = new UploadReceiver(blobs, options.Value);
        var request = await upload.ReceiveStreamAsync(requestStream, context.CancellationToken);
        return await SubmitAsync(caller, request, upload, audioSourceKey: null, context.CancellationToken);
    }

    [EnableRateLimiting(CreateRateLimit.Policy)]
    public override async Task<Render> CreateRender(CreateRenderRequest request, ServerCallContext context)
    {
        var caller = CallerClaims.Of(context);
        using var upload = new UploadReceiver(blobs, options.Value);
        await upload.ReceiveKeysAsync(request, caller, context.CancellationToken);
        return await SubmitAsync(caller, request, upload, request.AudioKey, context.CancellationToken);
    }

    private async Task<Render> SubmitAsync(Caller caller, CreateRenderRequest request, UploadReceiver upload, string? audioSourceKey, CancellationToken ct)
    {
        using var activity = FarmTelemetry.Source.StartActivity("create render");
        var violations = new List<FieldViolation>();
        var spec = ParameterValidator.Validate(request.Parameters, violations, defaults.Value);
        var framing = ParameterValidator.ValidateFraming(request.Parameters?.Framing, violations);
        if (request.IdempotencyKey.Length > 200)
            violations.Add(new FieldViolation("idempotency_key", $"is {request.IdempotencyKey.Length} characters, over the limit of 200"));
        try
        {
            var input = new RenderInput(caller.Tenant, spec, request.IdempotencyKey is "" ? null : request.IdempotencyKey, upload.ImagePath, upload.AudioPath, audioSourceKey, framing);
            var (render, created) = await submitter.SubmitAsync(input, violations, ct);
            activity?.SetTag("emofarm.render_id", render.Id);
            Audit.Record(logger, caller, created ? "create" : "create (idempotent repeat)", render.Tenant, $"render {render.Id}");
            return RenderMapper.ToProto(render);
        }
        catch (InputValidationException e)
        {
            throw RpcErrors.Refused(e.Violations);
        }
        catch (QuotaExceededException e)
        {
            throw RpcErrors.QuotaExceeded(e.Subject, e.Quota, e.Message);
        }
    }

    public override async Task<Render> GetRender(GetRenderRequest request, ServerCallContext context)
    {
        var render = await RequireAsync(request.Id, context);
        var proto = RenderMapper.ToProto(render, await store.GetSegmentsAsync(render.Id, context.CancellationToken));
        proto.Progress.ChunksReady = await ChunksReadyAsync(render, context.CancellationToken);
        proto.Quality = RenderMapper.ToQuality(render, await store.GetQualityAsync(render.Id, context.CancellationToken), quality.Value);
        return proto;
    }

    public override async Task<ListRendersResponse> ListRenders(ListRendersRequest request, ServerCallContext context)
    {
        if (request.PageSize > 500)
            throw RpcErrors.InvalidArgument("page_size", $"{request.PageSize} is over the limit of 500");
        if (!Enum.IsDefined(request.State))
            throw RpcErrors.InvalidArgument("state", $"{(int)request.State} is not a known render state");
        RenderState? state = request.State == EmoFarm.Api.V1.RenderState.Unspecified ? null : (RenderState)(int)request.State;
        RenderPage page;
        try
        {
            page = await store.ListAsync(CallerClaims.Of(context).ListScope, state, request.PageSize == 0 ? 50 : (int)request.PageSize,
                request.PageToken is "" ? null : request.PageToken, context.CancellationToken);
        }
        catch (ArgumentException e)
        {
            throw RpcErrors.InvalidArgument("page_token", e.Message);
        }
        var response = new ListRendersResponse { NextPageToken = page.NextCursor ?? "" };
        response.Renders.AddRange(page.Renders.Select(r => RenderMapper.ToProto(r)));
        return response;
    }

    public override async Task WatchRender(WatchRenderRequest request, IServerStreamWriter<RenderEvent> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var changed = new SemaphoreSlim(0);
        await using var subscription = await store.SubscribeAsync(request.Id, () => changed.Release(), ct);
        var render = await RequireAsync(request.Id, context);
        var snapshot = RenderMapper.ToProto(render);
        snapshot.Progress.ChunksReady = await ChunksReadyAsync(render, ct);
        await responseStream.WriteAsync(new RenderEvent { Snapshot = snapshot }, ct);
        while (!RenderStateMachine.IsTerminal(render.State))
        {
            await changed.WaitAsync(ct);
            // Coalesce a burst of changes into one message.
            while (changed.CurrentCount > 0)
                await changed.WaitAsync(ct);
            var next = await RequireAsync(request.Id, context);
            var message = next.State != render.State || RenderStateMachine.IsTerminal(next.State)
                ? new RenderEvent { Snapshot = RenderMapper.ToProto(next) }
                : new RenderEvent { Progress = RenderMapper.ToProgress(next) };
            (message.Snapshot?.Progress ?? message.Progress).ChunksReady = await ChunksReadyAsync(next, ct);
            await responseStream.WriteAsync(message, ct);
            render = next;
        }
    }

    public override async Task<Render> CancelRender(CancelRenderRequest request, ServerCallContext context)
    {
        var render = await RequireAsync(request.Id, context);
        if (!await store.TransitionAsync(render.Id, RenderState.Cancelled, "cancelled by request", context.CancellationToken))
            throw RpcErrors.FailedPrecondition($"render {render.Id} is already {render.State.ToString().ToLowerInvariant()}");
        Audit.Record(logger, CallerClaims.Of(context), "cancel", render.Tenant, $"render {render.Id}");
        // Its places in the window go to other renders now, not at the next sweep.
        await scheduler.RemoveAsync(render.Id, context.CancellationToken);
        FarmTelemetry.RendersCompleted.Add(1, new KeyValuePair<string, object?>("state", "cancelled"));
        return RenderMapper.ToProto((await store.GetAsync(render.Id, context.CancellationToken))!);
    }

    public override async Task<Render> RetryRender(RetryRenderRequest request, ServerCallContext context)
    {
        var render = await RequireAsync(request.Id, context);
        if (!await resumer.RetryAsync(render.Id, context.CancellationToken))
            throw RpcErrors.FailedPrecondition($"render {render.Id} is {render.State.ToString().ToLowerInvariant()}; only a failed render can be retried");
        Audit.Record(logger, CallerClaims.Of(context), "retry", render.Tenant, $"render {render.Id}");
        return RenderMapper.ToProto((await store.GetAsync(render.Id, context.CancellationToken))!);
    }

    public override async Task<RenderResult> GetResult(GetResultRequest request, ServerCallContext context)
    {
        var output = await RequireOutputAsync(request.Id, "result url", context);
        var ttl = request.UrlTtlSeconds == 0 ? 3600 : request.UrlTtlSeconds;
        if (ttl > 7 * 24 * 3600)
            throw RpcErrors.InvalidArgument("url_ttl_seconds", $"{ttl} is over the limit of 604800 (7 days)");
        var url = await blobs.PresignGetAsync(output.Key, TimeSpan.FromSeconds(ttl), context.CancellationToken);
        return new RenderResult
        {
            Url = url.ToString(),
            SizeBytes = (ulong)output.SizeBytes,
            Sha256 = output.Sha256,
            DurationSeconds = output.DurationSeconds,
            FrameCount = (uint)output.FrameCount,
        };
    }

    public override async Task DownloadResult(GetResultRequest request, IServerStreamWriter<DownloadChunk> responseStream, ServerCallContext context)
    {
        var output = await RequireOutputAsync(request.Id, "download", context);
        await blobs.ReadAsync(output.Key, async (stream, ct) =>
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, ct)) > 0)
                await responseStream.WriteAsync(new DownloadChunk { Data = ByteString.CopyFrom(buffer, 0, read) }, ct);
        }, context.CancellationToken);
    }

    public override async Task<EmoFarm.Api.V1.Preview> GetPreview(GetPreviewRequest request, ServerCallContext context)
    {
        var render = await RequireAsync(request.Id, context);
        var ttl = request.UrlTtlSeconds == 0 ? 3600 : request.UrlTtlSeconds;
        if (ttl > 86_400)
            throw RpcErrors.InvalidArgument("url_ttl_seconds", $"{ttl} is over the limit of 86400 (1 day), how long the playlist's entries are signed for");
        // Written now, so that every entry outlives the URL handed out (PreviewWriter).
        var preview = await previews.WriteAsync(render, context.CancellationToken);
        if (preview.ChunksReady == 0)
            throw RpcErrors.FailedPrecondition($"render {render.Id} has no finished chunk yet: its preview starts once the first of its {preview.ChunksTotal} chunks is encoded");
        Audit.Record(logger, CallerClaims.Of(context), "preview url", render.Tenant, $"render {render.Id}");
        var url = await blobs.PresignGetAsync(BlobKeys.Preview(render.Tenant, render.Id), TimeSpan.FromSeconds(ttl), context.CancellationToken);
        return new EmoFarm.Api.V1.Preview
        {
            Url = url.ToString(),
            ChunksReady = (uint)preview.ChunksReady,
            ChunksTotal = (uint)preview.ChunksTotal,
            SecondsReady = preview.SecondsReady,
            Complete = preview.Complete,
        };
    }

    public override Task<Upload> CreateUpload(CreateUploadRequest request, ServerCallContext context)
    {
        var ttl = request.UrlTtlSeconds == 0 ? 3600 : request.UrlTtlSeconds;
        if (ttl > 86_400)
            throw RpcErrors.InvalidArgument("url_ttl_seconds", $"{ttl} is over the limit of 86400 (1 day)");
        if (request.SizeBytes == 0)
            throw RpcErrors.InvalidArgument("size_bytes", "is required: the URL takes exactly that many bytes");
        if (request.SizeBytes > (ulong)options.Value.MaxUploadBytes)
            throw RpcErrors.ResourceExhausted("size_bytes", $"{request.SizeBytes} is over the upload limit of {options.Value.MaxUploadBytes} bytes (Orchestrator:MaxUploadBytes)");
        var caller = CallerClaims.Of(context);
        var key = $"{BlobKeys.UploadPrefix(caller.Tenant)}{Guid.CreateVersion7():N}/{UploadName(request.Filename)}";
        var url = blobs.PresignPut(key, (long)request.SizeBytes, TimeSpan.FromSeconds(ttl))
            ?? throw RpcErrors.FailedPrecondition("this farm keeps its objects in a local folder, which takes no uploads; stream the files with CreateRenderStream");
        Audit.Record(logger, caller, "create upload", caller.Tenant, $"object {key}");
        return Task.FromResult(new Upload { Key = key, Url = url.ToString(), ExpiresAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow().AddSeconds(ttl)) });
    }

    // The client's name survives for the operator's sake, in a form that is safe in any object store's key.
    private static string UploadName(string filename)
    {
        var name = new string([.. Path.GetFileName(filename).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')]).TrimStart('.');
        return name is { Length: > 0 and <= 100 } ? name : name.Length > 100 ? name[^100..] : "upload";
    }

    private async Task<uint> ChunksReadyAsync(RenderRecord render, CancellationToken ct) =>
        (uint)PreviewPlaylist.ReadyPrefix(await store.GetDoneChunksAsync(render.Id, ct), render.SegmentCount);

    private async Task<RenderRecord> RequireAsync(string id, ServerCallContext context) =>
        await store.GetAsync(id, context.CancellationToken) is { } render && CallerClaims.Of(context).Owns(render)
            ? render
            : throw RpcErrors.NotFound(id);

    private async Task<RenderOutput> RequireOutputAsync(string id, string action, ServerCallContext context)
    {
        var render = await RequireAsync(id, context);
        if (render is not { State: RenderState.Succeeded, Output: { } output })
            throw RpcErrors.FailedPrecondition($"render {id} is {render.State.ToString().ToLowerInvariant()}, not succeeded");
        Audit.Record(logger, CallerClaims.Of(context), action, render.Tenant, $"render {render.Id}");
        return output;
    }
}
