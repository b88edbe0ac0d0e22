using System.ComponentModel.DataAnnotations;

namespace EmoFarm.Farm.Storage;

/// <summary>Any S3-compatible server: MinIO in production, Swift's s3api or s3rver in tests.</summary>
public sealed class S3Options
{
    public const string Section = "S3";

    /// <summary>host:port, without a scheme.</summary>
    [Required] public string Endpoint { get; set; } = "";
    [Required] public string AccessKey { get; set; } = "";
    [Required] public string SecretKey { get; set; } = "";
    [Required] public string Bucket { get; set; } = "emofarm";
    public string Region { get; set; } = "us-east-1";
    public bool UseTls { get; set; }
}
