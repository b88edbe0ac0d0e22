namespace EmoFarm.Farm.Storage;

/// <summary>The embedded mode's object store: a folder. Writes go to a temporary file and are renamed into place.</summary>
public sealed class FileBlobStore(string root) : IBlobStore
{
    private string PathOf(string key)
    {
        var full = Path.GetFullPath(Path.Combine(root, key));
        if (!full.StartsWith(Path.GetFullPath(root), StringComparison.Ordinal))
            throw new ArgumentException($"key '{key}' escapes the store", nameof(key));
        return full;
    }

    public Task EnsureReadyAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(root);
        return Task.CompletedTask;
    }

    public async Task PutAsync(string key, Stream content, long length, string contentType, CancellationToken ct)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var file = File.Create(temp))
                await content.CopyToAsync(file, ct);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async Task ReadAsync(string key, Func<Stream, CancellationToken, Task> reader, CancellationToken ct)
    {
        FileStream file;
        try
        {
            file = File.OpenRead(PathOf(key));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobNotFoundException(key, e);
        }
        await using (file)
            await reader(file, ct);
    }

    public Task<BlobInfo?> StatAsync(string key, CancellationToken ct)
    {
        var info = new FileInfo(PathOf(key));
        return Task.FromResult(info.Exists ? new BlobInfo(key, info.Length) : null);
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public Task<Uri> PresignGetAsync(string key, TimeSpan lifetime, CancellationToken ct) => Task.FromResult(new Uri(PathOf(key)));

    // A folder has no HTTP endpoint to upload to.
    public Uri? PresignPut(string key, long length, TimeSpan lifetime) => null;
}
