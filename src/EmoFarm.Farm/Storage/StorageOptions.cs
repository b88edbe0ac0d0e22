using System.ComponentModel.DataAnnotations;

namespace EmoFarm.Farm.Storage;

/// <summary>The folder that stands in for the bucket when no S3 endpoint is set (embedded mode).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    [Required] public string Root { get; set; } = Path.Combine(Path.GetTempPath(), "emofarm-blobs");
}
