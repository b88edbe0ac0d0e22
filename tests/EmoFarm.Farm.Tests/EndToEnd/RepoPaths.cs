namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>Where the built services are: the solution is built before tests run, in the tests' configuration.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Release or Debug, whichever built this test assembly.</summary>
    private static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string Sample(string name) => Path.Combine(Root, "samples", name);

    public static string Assembly(string project, string assembly) =>
        Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", assembly);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EmoFarm.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("EmoFarm.sln not found above " + AppContext.BaseDirectory);
    }
}
