using EmoFarm.Farm.Storage;
using EmoFarm.Model.Loading;
using Microsoft.Extensions.Options;

namespace EmoFarm.Worker;

/// <summary>
/// Resolves <c>Model:Weights=s3://bucket/prefix</c> to a local folder when the host starts: model.json first, then
/// the files it names, with the farm's S3 credentials. A file already cached at the same size is not fetched again,
/// so a restarted pod with a kept scratch volume starts at once. Registered before the model, whose start-up load
/// then reads the local folder: hosted services start one after another, in order.
/// </summary>
internal sealed class BucketWeights(IOptions<ModelOptions> model, IOptions<S3Options> s3) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = model.Value;
        if (options.Weights is not { } uri || !uri.StartsWith("s3://", StringComparison.Ordinal))
            return;
        var path = uri["s3://".Length..];
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
            throw new OptionsValidationException(ModelOptions.Section, typeof(ModelOptions), [$"Model:Weights '{uri}' must look like s3://bucket/prefix"]);
        if (string.IsNullOrEmpty(s3.Value.Endpoint))
            throw new OptionsValidationException(ModelOptions.Section, typeof(ModelOptions), [$"Model:Weights is {uri}, but S3:Endpoint is not set"]);
        var (bucket, prefix) = (path[..slash], path[(slash + 1)..].TrimEnd('/'));
        var store = new S3BlobStore(S3BlobStore.CreateClient(s3.Value), bucket);
        var local = Path.Combine(Path.GetTempPath(), "emofarm-weights", bucket, prefix);
        Directory.CreateDirectory(local);

        await FetchAsync(store, $"{prefix}/{ModelManifest.FileName}", Path.Combine(local, ModelManifest.FileName), cancellationToken);
        var manifest = ModelManifest.Read(local);
        foreach (var file in new[] { manifest.Net, manifest.Vae, manifest.AudioEncoder })
            await FetchAsync(store, $"{prefix}/{file}", Path.Combine(local, file), cancellationToken);
        // The model reads its options when it loads, which is after this.
        options.Weights = local;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task FetchAsync(S3BlobStore store, string key, string path, CancellationToken ct)
    {
        var info = await store.StatAsync(key, ct)
            ?? throw new FileNotFoundException($"model weights: object '{key}' does not exist in the bucket", key);
        if (File.Exists(path) && new FileInfo(path).Length == info.Size)
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".partial";
        await store.DownloadToFileAsync(key, partial, ct);
        File.Move(partial, path, overwrite: true);
    }
}
