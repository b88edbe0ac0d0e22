namespace EmoFarm.Testing;

internal static class ExecutableLookup
{
    /// <summary>True when the path exists, or when a bare name is found in one of PATH's folders.</summary>
    public static bool Exists(string fileName)
    {
        if (fileName.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(fileName);
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, fileName)));
    }
}
