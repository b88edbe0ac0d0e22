using EmoFarm.Api.V1;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Submission;
using EmoFarm.Farm.Tenancy;
using Grpc.Core;

namespace EmoFarm.Farm.Api;

/// <summary>Receives a render's files into a private temporary folder: from the client's stream, or from the bucket.</summary>
public sealed class UploadReceiver(IBlobStore blobs, OrchestratorOptions options) : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("emofarm-upload-");

    public string ImagePath => Path.Combine(_folder.FullName, "image");
    public string AudioPath => Path.Combine(_folder.FullName, "audio");

    /// <summary>Reads the stream; returns the request that came first.</summary>
    public async Task<CreateRenderRequest> ReceiveStreamAsync(IAsyncStreamReader<CreateRenderChunk> stream, CancellationToken ct)
    {
        if (!await stream.MoveNext(ct) || stream.Current.PayloadCase != CreateRenderChunk.PayloadOneofCase.Request)
            throw RpcErrors.InvalidArgument("request", "the first message of the stream must carry the request");
        var request = stream.Current.Request;
        await using var image = File.Create(ImagePath);
        await using var audio = File.Create(AudioPath);
        while (await stream.MoveNext(ct))
        {
            var chunk = stream.Current;
            var (target, field) = chunk.PayloadCase switch
            {
                CreateRenderChunk.PayloadOneofCase.Image => (image, "image"),
                CreateRenderChunk.PayloadOneofCase.Audio => (audio, "audio"),
                _ => throw RpcErrors.InvalidArgument("request", "only the first message may carry the request"),
            };
            var data = chunk.PayloadCase == CreateRenderChunk.PayloadOneofCase.Image ? chunk.Image : chunk.Audio;
            // Refused at the chunk that crosses the limit: the rest of the stream is never read.
            if (target.Length + data.Length > options.MaxUploadBytes)
                throw RpcErrors.ResourceExhausted(field, $"is over the upload limit of {options.MaxUploadBytes} bytes (Orchestrator:MaxUploadBytes)");
            await target.WriteAsync(data.Memory, ct);
        }
        return request;
    }

    /// <summary>
    /// Fetches the objects the request names from the bucket. A tenant may name only its own uploads; an
    /// administrator, any tenant's. A key outside is refused exactly like a missing one, so that a probe learns
    /// nothing about another tenant's objects.
    /// </summary>
    public async Task ReceiveKeysAsync(CreateRenderRequest request, Caller caller, CancellationToken ct)
    {
        var violations = new List<FieldViolation>();
        foreach (var (key, field, path) in new[] { (request.ImageKey, "image_key", ImagePath), (request.AudioKey, "audio_key", AudioPath) })
        {
            if (string.IsNullOrEmpty(key))
            {
                violations.Add(new FieldViolation(field, "is required"));
                continue;
            }
            var info = Allowed(key, caller) ? await blobs.StatAsync(key, ct) : null;
            if (info is null)
                violations.Add(new FieldViolation(field, $"object '{key}' does not exist under your upload prefix '{BlobKeys.UploadPrefix(caller.Tenant)}'"));
            else if (info.Size > options.MaxUploadBytes)
                violations.Add(new FieldViolation(field, $"object is {info.Size} bytes, over the limit of {options.MaxUploadBytes}"));
            else
                await blobs.DownloadToFileAsync(key, path, ct);
        }
        if (violations.Count > 0)
            throw RpcErrors.InvalidArgument(violations);
    }

    private static bool Allowed(string key, Caller caller) =>
        BlobKeys.UploadOwner(key) is { } owner && (caller.IsAdmin || owner == caller.Tenant);

    public void Dispose() => _folder.Delete(recursive: true);
}
