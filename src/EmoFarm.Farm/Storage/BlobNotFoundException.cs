namespace EmoFarm.Farm.Storage;

public sealed class BlobNotFoundException(string key, Exception? inner = null)
    : Exception($"object '{key}' does not exist", inner)
{
    public string Key { get; } = key;
}
