using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EmoFarm.Farm.Storage;

/// <summary>
/// A presigned S3 PUT (Signature V4, query-string authentication) that also signs <c>content-length</c>: the holder
/// can upload exactly that many bytes to exactly that key until the URL expires, and nothing else. A POST policy's
/// content-length-range would say the same, but not every S3 server implements POST uploads, and every one checks
/// SigV4's signed headers. The Minio client presigns no headers, hence this small signer.
/// </summary>
public sealed class S3UploadSigner(S3Options options, TimeProvider clock)
{
    public Uri PresignPut(string bucket, string key, long length, TimeSpan lifetime)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var date = now.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var stamp = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var scope = $"{date}/{options.Region}/s3/aws4_request";
        var host = options.Endpoint;
        var path = $"/{Encode(bucket)}/{string.Join('/', key.Split('/').Select(Encode))}";
        var query = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["X-Amz-Algorithm"] = "AWS4-HMAC-SHA256",
            ["X-Amz-Credential"] = $"{options.AccessKey}/{scope}",
            ["X-Amz-Date"] = stamp,
            ["X-Amz-Expires"] = ((long)lifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            ["X-Amz-SignedHeaders"] = "content-length;host",
        };
        var canonicalQuery = string.Join('&', query.Select(p => $"{Encode(p.Key)}={Encode(p.Value)}"));
        var canonicalRequest = string.Join('\n', "PUT", path, canonicalQuery,
            $"content-length:{length.ToString(CultureInfo.InvariantCulture)}", $"host:{host}", "", "content-length;host", "UNSIGNED-PAYLOAD");
        var toSign = string.Join('\n', "AWS4-HMAC-SHA256", stamp, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var key4 = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes($"AWS4{options.SecretKey}"), date), options.Region), "s3"), "aws4_request");
        var signature = Hex(Hmac(key4, toSign));
        return new Uri($"{(options.UseTls ? "https" : "http")}://{host}{path}?{canonicalQuery}&X-Amz-Signature={signature}");
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    // RFC 3986 unreserved characters stay; everything else is percent-encoded in upper-case hex, as SigV4 asks.
    private static string Encode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
                builder.Append(c);
            else
                builder.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
        }
        return builder.ToString();
    }
}
