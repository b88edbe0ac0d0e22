namespace EmoFarm.Testing;

/// <summary>A fresh folder under the system temp directory, removed again on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"emofarm-{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Creates (if needed) and returns a sub-folder.</summary>
    public string Sub(params string[] parts)
    {
        var path = System.IO.Path.Combine([Path, .. parts]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The path of a file in the folder; nothing is created.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process killed a moment ago may still be closing files; a stale temp folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same: never let clean-up hide the test's own outcome.
        }
    }
}
