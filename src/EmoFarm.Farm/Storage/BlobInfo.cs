namespace EmoFarm.Farm.Storage;

public sealed record BlobInfo(string Key, long Size);
