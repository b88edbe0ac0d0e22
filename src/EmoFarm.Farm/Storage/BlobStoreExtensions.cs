namespace EmoFarm.Farm.Storage;

public static class BlobStoreExtensions
{
    public static async Task PutBytesAsync(this IBlobStore store, string key, ReadOnlyMemory<byte> bytes, string contentType, CancellationToken ct)
    {
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        await store.PutAsync(key, stream, bytes.Length, contentType, ct);
    }

    public static async Task<byte[]> GetBytesAsync(this IBlobStore store, string key, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await store.ReadAsync(key, (s, c) => s.CopyToAsync(buffer, c), ct);
        return buffer.ToArray();
    }

    public static async Task DownloadToFileAsync(this IBlobStore store, string key, string path, CancellationToken ct)
    {
        await using var file = File.Create(path);
        await store.ReadAsync(key, (s, c) => s.CopyToAsync(file, c), ct);
    }

    public static async Task UploadFileAsync(this IBlobStore store, string key, string path, string contentType, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        await store.PutAsync(key, file, file.Length, contentType, ct);
    }
}
