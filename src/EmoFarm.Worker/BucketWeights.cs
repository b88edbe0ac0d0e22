using EmoFarm.Farm.Storage;
using EmoFarm.Model.Rendering;
using Microsoft.Extensions.Options;

namespace EmoFarm.Worker;

/// <summary>
/// Resolves <c>Model:Weights=s3://bucket/prefix</c> to a local folder before the model loads: model.json first, then
/// the files it names, with the farm's S3 credentials. A file already cached at the same size is not fetched again,
/// so a restarted pod with a kept scratch volume starts at once.
/// </summary>
internal sealed class BucketWeights(IOptions<S3Options> s3) : IPostConfigureOptions<ModelOptions>
{
    public void PostConfigure(string? name, ModelOptions options)
    {
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

        Fetch(store, $"{prefix}/{ModelManifest.FileName}", Path.Combine(local, ModelManifest.FileName));
        var manifest = ModelManifest.Read(local);
        foreach (var file in new[] { manifest.Net, manifest.Vae, manifest.AudioEncoder })
            Fetch(store, $"{prefix}/{file}", Path.Combine(local, file));
        options.Weights = local;
    }

    private static void Fetch(S3BlobStore store, string key, string path)
    {
        var info = store.StatAsync(key, CancellationToken.None).GetAwaiter().GetResult()
            ?? throw new FileNotFoundException($"model weights: object '{key}' does not exist in the bucket", key);
        if (File.Exists(path) && new FileInfo(path).Length == info.Size)
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".partial";
        store.DownloadToFileAsync(key, partial, CancellationToken.None).GetAwaiter().GetResult();
        File.Move(partial, path, overwrite: true);
    }
}
