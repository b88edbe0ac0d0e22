namespace EmoFarm.Farm.Storage;

/// <summary>
/// Provider-neutral object storage. A put is atomic (readers see the whole object or none) and idempotent under
/// the same key, which is what makes redelivered work safe. There is deliberately no listing: s3rver's listing
/// replies use an XML namespace the Minio client parses as empty, and a listing is eventually consistent on some
/// providers anyway, so every manifest the farm needs lives in the state store.
/// </summary>
public interface IBlobStore
{
    Task EnsureReadyAsync(CancellationToken ct);

    Task PutAsync(string key, Stream content, long length, string contentType, CancellationToken ct);

    /// <summary>Throws <see cref="BlobNotFoundException"/> when the key is absent.</summary>
    Task ReadAsync(string key, Func<Stream, CancellationToken, Task> reader, CancellationToken ct);

    /// <summary>Null when the key is absent.</summary>
    Task<BlobInfo?> StatAsync(string key, CancellationToken ct);

    Task DeleteAsync(string key, CancellationToken ct);

    Task<Uri> PresignGetAsync(string key, TimeSpan lifetime, CancellationToken ct);

    /// <summary>
    /// A URL that uploads exactly <paramref name="length"/> bytes to <paramref name="key"/> with a plain PUT until it
    /// expires; null when the store cannot hand out such URLs (a local folder).
    /// </summary>
    Uri? PresignPut(string key, long length, TimeSpan lifetime);
}
