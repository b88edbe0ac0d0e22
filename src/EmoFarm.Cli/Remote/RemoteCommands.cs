using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using EmoFarm.Api.V1;
using EmoFarm.Cli.Shared;
using Google.Protobuf;
using Grpc.Core;
using Spectre.Console;

namespace EmoFarm.Cli.Remote;

/// <summary>Commands that talk to a running farm over gRPC.</summary>
internal static class RemoteCommands
{
    public static IEnumerable<Command> Create(FarmClient client)
    {
        yield return Submit(client);
        yield return Watch(client);
        yield return Get(client);
        yield return List(client);
        yield return Cancel(client);
        yield return Retry(client);
        yield return Download(client);
        yield return ShowPreview(client);
    }

    private static Argument<string> IdArgument() => new("id") { Description = "Render id" };

    private static Command Submit(FarmClient client)
    {
        var image = new Option<FileInfo>("--image") { Description = "Portrait file to upload", Required = true };
        var audio = new Option<FileInfo>("--audio") { Description = "Vocal track to upload", Required = true };
        var key = new Option<string?>("--idempotency-key") { Description = "Submitting the same key again returns the same render" };
        var watch = new Option<bool>("--watch") { Description = "Follow the render's progress until it finishes" };
        var parameters = new ParameterOptions();
        var command = new Command("submit", "Upload a portrait and a track and start a render") { image, audio, key, watch };
        parameters.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var rpc = client.Connect(result);
            using var call = rpc.CreateRenderStream(cancellationToken: ct);
            await call.RequestStream.WriteAsync(new CreateRenderChunk
            {
                Request = new CreateRenderRequest
                {
                    IdempotencyKey = result.GetValue(key) ?? "",
                    Parameters = parameters.Read(result),
                    ImageFilename = result.GetValue(image)!.Name,
                    AudioFilename = result.GetValue(audio)!.Name,
                },
            }, ct);
            try
            {
                await SendFileAsync(call.RequestStream, result.GetValue(image)!, bytes => new CreateRenderChunk { Image = bytes }, ct);
                await SendFileAsync(call.RequestStream, result.GetValue(audio)!, bytes => new CreateRenderChunk { Audio = bytes }, ct);
                await call.RequestStream.CompleteAsync();
            }
            catch (Exception e) when ((e is RpcException or InvalidOperationException) && !ct.IsCancellationRequested)
            {
                // The server ended the call mid-upload (a file over its limit): its status, read below, says why.
            }
            var render = await RpcOutput.Guard(() => call.ResponseAsync);
            if (render is null)
                return ExitCodes.InvalidInput;
            Console.WriteLine(render.Id);
            return result.GetValue(watch) ? await WatchAsync(rpc, render.Id, ct) : ExitCodes.Ok;
        });
        return command;
    }

    private static async Task SendFileAsync(IClientStreamWriter<CreateRenderChunk> stream, FileInfo file, Func<ByteString, CreateRenderChunk> wrap, CancellationToken ct)
    {
        await using var input = file.OpenRead();
        var buffer = new byte[1 << 20];
        int read;
        while ((read = await input.ReadAsync(buffer, ct)) > 0)
            await stream.WriteAsync(wrap(ByteString.CopyFrom(buffer, 0, read)), ct);
    }

    private static Command Watch(FarmClient client)
    {
        var id = IdArgument();
        var command = new Command("watch", "Follow a render's progress live") { id };
        command.SetAction((result, ct) => WatchAsync(client.Connect(result), result.GetValue(id)!, ct));
        return command;
    }

    private static async Task<int> WatchAsync(RenderService.RenderServiceClient rpc, string id, CancellationToken ct)
    {
        var previewShown = false;
        var final = await ProgressView.ShowAsync(async report =>
        {
            using var call = rpc.WatchRender(new WatchRenderRequest { Id = id }, cancellationToken: ct);
            Render last = new();
            await foreach (var e in call.ResponseStream.ReadAllAsync(ct))
            {
                if (e.EventCase == RenderEvent.EventOneofCase.Snapshot)
                    last = e.Snapshot;
                else
                    last.Progress = e.Progress;
                report(last);
                // Once, as soon as the first chunk plays; the playlist itself grows as the rest lands.
                if (!previewShown && last.Progress.ChunksReady > 0)
                {
                    previewShown = true;
                    ProgressView.Note($"preview: {(await rpc.GetPreviewAsync(new GetPreviewRequest { Id = id }, cancellationToken: ct)).Url}");
                }
            }
            return last;
        });
        Console.WriteLine($"{id}: {ProgressView.Describe(final.State)} {final.Error}".TrimEnd());
        return final.State == RenderState.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static Command Get(FarmClient client)
    {
        var id = IdArgument();
        var command = new Command("get", "Show one render") { id };
        command.SetAction(async (result, ct) =>
        {
            var render = await client.Connect(result).GetRenderAsync(new GetRenderRequest { Id = result.GetValue(id)! }, cancellationToken: ct);
            Console.WriteLine(JsonFormatter.Default.Format(render));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(FarmClient client)
    {
        var state = new Option<RenderState>("--state") { Description = "Only renders in this state" };
        var pageSize = new Option<uint>("--page-size") { Description = "Renders per page (default 50)" };
        var token = new Option<string?>("--page-token") { Description = "Continue from a previous page" };
        var command = new Command("list", "List renders, newest first") { state, pageSize, token };
        command.SetAction(async (result, ct) =>
        {
            var page = await client.Connect(result).ListRendersAsync(new ListRendersRequest
            {
                State = result.GetValue(state),
                PageSize = result.GetValue(pageSize),
                PageToken = result.GetValue(token) ?? "",
            }, cancellationToken: ct);
            var table = new Table().AddColumns("id", "tenant", "state", "created", "audio s", "frames", "error");
            foreach (var r in page.Renders)
                table.AddRow(r.Id, r.Tenant, ProgressView.Describe(r.State), r.CreatedAt.ToDateTimeOffset().ToString("u"), $"{r.AudioSeconds:F1}", $"{r.Progress.FramesDone}/{r.Progress.FramesTotal}", Markup.Escape(r.Error));
            AnsiConsole.Write(table);
            if (page.NextPageToken.Length > 0)
                Console.WriteLine($"next page: --page-token {page.NextPageToken}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Cancel(FarmClient client)
    {
        var id = IdArgument();
        var command = new Command("cancel", "Cancel a render; its workers stop at their next clip") { id };
        command.SetAction(async (result, ct) =>
        {
            var render = await client.Connect(result).CancelRenderAsync(new CancelRenderRequest { Id = result.GetValue(id)! }, cancellationToken: ct);
            Console.WriteLine($"{render.Id}: {ProgressView.Describe(render.State)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Retry(FarmClient client)
    {
        var id = IdArgument();
        var watch = new Option<bool>("--watch") { Description = "Follow the render's progress until it finishes" };
        var command = new Command("retry", "Run a failed render again under the same id; only its unfinished segments and seams run") { id, watch };
        command.SetAction(async (result, ct) =>
        {
            var rpc = client.Connect(result);
            Render render;
            try
            {
                render = await rpc.RetryRenderAsync(new RetryRenderRequest { Id = result.GetValue(id)! }, cancellationToken: ct);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.FailedPrecondition or StatusCode.NotFound)
            {
                Console.Error.WriteLine(e.Status.Detail);
                return ExitCodes.InvalidInput;
            }
            Console.WriteLine($"{render.Id}: {ProgressView.Describe(render.State)}");
            return result.GetValue(watch) ? await WatchAsync(rpc, render.Id, ct) : ExitCodes.Ok;
        });
        return command;
    }

    private static Command ShowPreview(FarmClient client)
    {
        var id = IdArgument();
        var ttl = new Option<uint>("--ttl") { Description = "Seconds the URL stays valid (default 3600, at most 86400)" };
        var command = new Command("preview", "Print the URL of an HLS playlist of the render's finished part, to play while it renders") { id, ttl };
        command.SetAction(async (result, ct) =>
        {
            var preview = await client.Connect(result).GetPreviewAsync(
                new GetPreviewRequest { Id = result.GetValue(id)!, UrlTtlSeconds = result.GetValue(ttl) }, cancellationToken: ct);
            // The URL alone on stdout, for `ffplay "$(emofarm preview ID)"`; the rest is for the reader.
            Console.WriteLine(preview.Url);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{preview.ChunksReady}/{preview.ChunksTotal} chunks, {preview.SecondsReady:F1} s{(preview.Complete ? ", complete" : ", growing as the render goes on")}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Download(FarmClient client)
    {
        var id = IdArgument();
        var output = new Option<FileInfo>("--out") { Description = "Where to write the MP4", Required = true };
        var command = new Command("download", "Download a finished render and check its sha256") { id, output };
        command.SetAction(async (result, ct) =>
        {
            var rpc = client.Connect(result);
            var request = new GetResultRequest { Id = result.GetValue(id)! };
            var expected = await rpc.GetResultAsync(request, cancellationToken: ct);
            var path = result.GetValue(output)!;
            await using (var file = path.Create())
            {
                using var call = rpc.DownloadResult(request, cancellationToken: ct);
                await foreach (var chunk in call.ResponseStream.ReadAllAsync(ct))
                    await file.WriteAsync(chunk.Data.Memory, ct);
            }
            await using var check = path.OpenRead();
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(check, ct));
            if (sha != expected.Sha256)
            {
                Console.Error.WriteLine($"sha256 mismatch: got {sha}, expected {expected.Sha256}");
                return ExitCodes.Failed;
            }
            Console.WriteLine($"{path.FullName}: {expected.SizeBytes} bytes, sha256 {sha}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
